-- The W3C trace of the call behind each write, to find its log lines.
ALTER TABLE @schema@.audit_log ADD COLUMN trace_id text;
