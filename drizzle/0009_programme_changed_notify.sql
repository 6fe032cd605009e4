-- Every instance keeps the programmes in memory (src/lib/server/programmes.ts). Any write to the table,
-- by the portal, a command or by hand, tells every listening instance to drop its copy when it commits.
CREATE OR REPLACE FUNCTION notify_programme_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('programme_changed', '');
	RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER programme_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "programme" FOR EACH STATEMENT EXECUTE FUNCTION notify_programme_changed();
