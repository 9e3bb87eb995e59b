-- Audit records are listed across a service by who wrote (the actor and
-- the locality of the principal behind it) and when, not only per
-- resource. Each service's migrations include this with its own schema.
ALTER TABLE @schema@.audit_log ADD COLUMN actor_locality text;
CREATE INDEX audit_log_by_actor ON @schema@.audit_log (actor, id DESC);
CREATE INDEX audit_log_by_actor_locality ON @schema@.audit_log (actor_locality, id DESC);
CREATE INDEX audit_log_by_time ON @schema@.audit_log (time);
