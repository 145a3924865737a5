#!/usr/bin/env bash
# The document printed: a reporting role writes the latest release's
# document in French and English (release_document), headless Chromium
# prints each to PDF on Letter (the document's @page: landscape, the
# paper the printer has) and on A4, and pdftotext -layout finds in every
# PDF the as-of date, the total of invitations and every row of the yearly
# table, cell for cell, a withheld count as its interval, and below it the
# value an earlier release showed, with its date
# (test/cases/document_print.py).  Two databases of the demo's rounds and
# synthetic invitations: the default policy, with releases as of 2023-08-18
# and 2023-08-25 (the second withholds counts of the yearly table the first
# showed); and a strict one (min_count 40, round_to 5), one release as of
# 2023-08-18, that withholds counts of the yearly table and rounds what it
# shows.  The first page of the default one in each language is made a PNG
# too (pdftoppm); with ARRIMA_DOCUMENT_PNG=<dir> they are copied there
# (test/document/ holds the ones the README shows).
. "$(dirname "$0")/common.bash"

role=arrima_case_print_reader
dbs=(arrima_case_print arrima_case_print_strict)
python=/usr/bin/python3    # Debian's, with python3-psycopg2
for tool in chromium pdftotext pdfinfo pdftoppm; do
    command -v "$tool" >/dev/null || { echo "FAIL: $tool is missing (chromium, poppler-utils)"; exit 1; }
done

case_role "$role"

# Chromium runs as root in CI, hence --no-sandbox; a home and a profile of
# its own, in the scratch directory.
out=$ARRIMA_SCRATCH
browser_home=$(mktemp -d "$out/chromium.XXXXXX")
print_pdf() {   # HTML PDF
    if ! HOME=$browser_home timeout 120 chromium --headless --no-sandbox --disable-gpu \
             --disable-dev-shm-usage --no-first-run --no-pdf-header-footer \
             --user-data-dir="$browser_home/profile" --print-to-pdf="$2" "file://$1" \
             >"$browser_home/chromium.log" 2>&1 || [ ! -s "$2" ]; then
        cat "$browser_home/chromium.log"
        echo "FAIL: chromium could not print $1"
        exit 1
    fi
}

for db in "${dbs[@]}"; do
    fresh_db "$db"
    psql -d "$db" -c 'CREATE EXTENSION arrima_stats'
    load_demo_data "$db"
    if [ "$db" = "${dbs[1]}" ]; then
        psql -d "$db" -c 'UPDATE arrima_stats.disclosure_policy SET min_count = 40, round_to = 5'
    fi
    psql -d "$db" -o /dev/null -c "SELECT arrima_stats.refresh_publications('2023-08-18')" \
         -c "SELECT arrima_stats.grant_reporting('$role')"
    if [ "$db" = "${dbs[0]}" ]; then
        psql -d "$db" -o /dev/null -c "SELECT arrima_stats.refresh_publications('2023-08-25')"
    fi
    for lang in fr en; do
        html=$out/${db}_$lang.html
        psql -d "$db" -U "$role" -At -c "SELECT arrima_stats.release_document('$lang')" >"$html"
        print_pdf "$html" "$out/${db}_${lang}_letter.pdf"
        # A4: the same document, with the paper named
        sed 's|</style>|@page { size: A4 landscape; }\n</style>|' "$html" >"$out/${db}_${lang}_a4.html"
        print_pdf "$out/${db}_${lang}_a4.html" "$out/${db}_${lang}_a4.pdf"
    done
done

"$python" "$ARRIMA_ROOT/test/cases/document_print.py" "$out" "${dbs[@]}"

# The first page, as a picture.
for lang in fr en; do
    pdftoppm -png -r 70 -f 1 -l 1 -singlefile "$out/${dbs[0]}_${lang}_letter.pdf" \
             "$out/release_document_$lang"
    echo "first page: $out/release_document_$lang.png"
    if [ -n "${ARRIMA_DOCUMENT_PNG:-}" ]; then
        cp "$out/release_document_$lang.png" "$ARRIMA_DOCUMENT_PNG/"
        echo "copied to $ARRIMA_DOCUMENT_PNG/release_document_$lang.png"
    fi
done
