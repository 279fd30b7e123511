-- The lines of one CSV export as rows of text cells, each line once, with why it cannot be read.
-- {lines}: the Parquet file of ingest.lines (line, text), line 1 being the header.
-- A line is split at {separator} when it holds no quote, by CSV quoting otherwise ("..." around
-- a whole field, "" for a quote inside it); blank lines are not in {lines}: they hold no record.
-- problem is NULL for a row whose cells follow, in the order of the header.
WITH decoded AS (
    SELECT line, rtrim(TRY(decode(text)), chr(13) || chr(10)) AS text, text AS bytes
    FROM read_parquet({lines})
    WHERE line > 1
),
split AS (
    SELECT
        line,
        text,
        bytes,
        CASE
            WHEN text IS NULL THEN NULL
            WHEN NOT contains(text, '"') THEN string_split(text, {separator})
            WHEN regexp_full_match(text, {line_pattern}) THEN list_transform(
                regexp_extract_all({separator} || text, {field_pattern}, 1),
                lambda f: CASE WHEN starts_with(f, '"') THEN replace(f[2:-2], '""', '"') ELSE f END
            )
        END AS fields
    FROM decoded
),
judged AS (
    SELECT
        line,
        CASE
            WHEN text IS NULL THEN 'line is not UTF-8 text (the file is read as UTF-8 from its first line)'
            WHEN fields IS NULL THEN 'line has a quote (") outside CSV quoting: quote a whole field as "...", '
                || 'and a quote inside it as ""'
            WHEN list_transform(fields, lambda f: trim(f)) = {header} THEN 'line repeats the header'
            WHEN len(fields) <> {n_fields} THEN 'line has ' || len(fields) || ' fields, expected {n_fields} '
                || '(separator ' || {separator_shown} || ')'
                || CASE WHEN line = {last_line} AND len(fields) < {n_fields}
                    THEN '; the last line looks truncated' ELSE '' END
        END AS problem,
        coalesce(text, regexp_replace(CAST(bytes AS VARCHAR), '(\\x0D)?\\x0A$', '')) AS text,
        fields
    FROM split
)
SELECT
    line,
    problem,
    CASE WHEN problem IS NOT NULL THEN text END AS text,
    {cells}
FROM judged
