-- fix_parse_websearch.
--
-- Revision ID: 19cdd3ab86f6
-- Revises: 6896a54e9483
-- Create Date: 2021-11-17 21:23:09.959694
--
-- Adds parse_websearch(regconfig, text) and parse_websearch(text): a web-search query turned into a tsquery whose
-- words match as prefixes. e05bb1967eff removes them again.
--
-- wfo:revision 19cdd3ab86f6
-- wfo:down_revision 6896a54e9483
-- wfo:branch_labels
-- wfo:depends_on
-- wfo:transaction per-revision

-- wfo:upgrade postgres
CREATE OR REPLACE FUNCTION parse_websearch(config regconfig, search_query text) RETURNS tsquery
    LANGUAGE sql IMMUTABLE
AS $$
    SELECT string_agg(CASE WHEN position('''' IN piece) > 0 THEN piece || ':*' ELSE piece END, ' ')::tsquery
    FROM (SELECT trim(p) AS piece
          FROM regexp_split_to_table(websearch_to_tsquery(config, lower(search_query))::text, ' ') AS p) AS pieces
$$;

CREATE OR REPLACE FUNCTION parse_websearch(search_query text) RETURNS tsquery
    LANGUAGE sql IMMUTABLE
AS $$
    SELECT parse_websearch('pg_catalog.simple', search_query)
$$;

-- wfo:downgrade postgres
DROP FUNCTION IF EXISTS public.parse_websearch(regconfig, text);
DROP FUNCTION IF EXISTS public.parse_websearch(text);

-- wfo:upgrade sqlite
-- Nothing on SQLite, which has no counterpart of these PostgreSQL objects.

-- wfo:downgrade sqlite
-- Nothing on SQLite, which has no counterpart of these PostgreSQL objects.
