-- Open tasks in due-date order, each day's in id order: the order a list
-- of tasks falling due pages in, so that the most overdue come first.
DROP INDEX directives.tasks_by_due_date;
CREATE INDEX tasks_by_due_date ON directives.tasks (due_date, id) WHERE completed_date IS NULL;
