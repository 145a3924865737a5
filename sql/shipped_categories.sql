--
-- The categories shipped with the extension are read-only: pg_dump does not
-- save them (CREATE EXTENSION makes them again on restore), so a change to
-- one would be lost by a dump and restore, and a deleted one would come back.
-- The categories a user adds can be changed and deleted as any row.
--
SET search_path = arrima_stats, public;
SET datestyle = ISO;

SELECT count(*) AS shipped FROM category;

\set VERBOSITY default
UPDATE category SET label_en = 'changed' WHERE code = 'OPMO';
UPDATE category SET code = 'OPMO2' WHERE code = 'OPMO';
DELETE FROM category WHERE code = 'CLASSEMENT_GENERAL';
TRUNCATE category CASCADE;
\set VERBOSITY terse

-- nothing changed
SELECT code, label_en FROM category WHERE code IN ('OPMO', 'CLASSEMENT_GENERAL') ORDER BY code;

-- a user's own category: insert, update, delete
INSERT INTO category (code, label_fr, label_en) VALUES ('USAGER', 'usager', 'user');
UPDATE category SET label_en = 'user''s own' WHERE code = 'USAGER';
SELECT code, label_en FROM category WHERE code = 'USAGER';
-- an UPDATE that touches shipped and user rows fails as a whole
UPDATE category SET label_fr = label_fr || '!' WHERE code IN ('USAGER', 'OPMO');
SELECT code, label_fr FROM category WHERE code IN ('USAGER', 'OPMO') ORDER BY code;
DELETE FROM category WHERE code = 'USAGER';
SELECT count(*) AS shipped FROM category;
