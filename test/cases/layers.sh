#!/usr/bin/env bash
# The layers of the C: no file includes or calls a file of a higher layer,
# or another layer's private header, and no two files depend on each other
# (test/cases/layers.py says what the layers are; src/disclosure/README
# draws them).  Includes are read from the sources; calls from the objects
# test/run built (nm: what each .o needs that another defines).
#
# Then the check itself is checked: in a throw-away copy of src/, one
# violation at a time is planted (an include of a higher layer, a call to a
# higher layer, a private header included from another layer, two files
# calling each other), the planted file rebuilt, and the check must fail
# naming it.
set -euo pipefail
: "${ARRIMA_ROOT:?run the cases through test/run}"
: "${PG_CONFIG:?run the cases through test/run}"
: "${ARRIMA_SCRATCH:?run the cases through test/run}"

command -v nm >/dev/null 2>&1 || { echo "nm is missing (binutils)"; exit 1; }
check=(/usr/bin/python3 "$ARRIMA_ROOT/test/cases/layers.py")
status=0
fail() { echo "FAIL: $*"; status=1; }

echo "== the tree as built"
"${check[@]}" "$ARRIMA_ROOT/src" || fail "the layers of src/ are broken (above)"

# plant NAME FILE PERL EXPECTED: in a fresh copy, change FILE (relative to
# src/) with perl, rebuild its object, and expect the check to fail with a
# message matching EXPECTED.
copy=$ARRIMA_SCRATCH/copy
plant() {
    local name=$1 file=$2 perl=$3 expected=$4 out
    rm -rf "$copy"
    mkdir -p "$copy"
    cp -a "$ARRIMA_ROOT/src" "$ARRIMA_ROOT/Makefile" "$ARRIMA_ROOT/arrima_stats.control" "$copy/"
    perl -0pi -e "$perl" "$copy/src/$file"
    if cmp -s "$copy/src/$file" "$ARRIMA_ROOT/src/$file"; then
        fail "$name: the pattern no longer matches src/$file"
        return
    fi
    if ! out=$(make -s -C "$copy" PG_CONFIG="$PG_CONFIG" "src/${file%.c}.o" 2>&1); then
        echo "$out"
        fail "$name: the planted copy does not build"
        return
    fi
    if out=$("${check[@]}" "$copy/src" 2>&1); then
        echo "$out"
        fail "$name: the check passed a planted violation"
    elif ! grep -E -- "$expected" <<<"$out" >/dev/null; then
        echo "$out"
        fail "$name: the check failed, but not with /$expected/"
    else
        echo "planted $name: caught ($(grep -E -m1 -- "$expected" <<<"$out"))"
    fi
}

echo "== planted violations, in a copy"
# the model includes the withholding's header
plant include_up disclosure/model.c \
    's/#include "model.h"\n/#include "model.h"\n#include "suppress.h"\n/' \
    'model.c \(model\) includes disclosure/suppress.h, of a higher layer \(suppress\)'
# the model calls into the series (declared by hand, no include)
plant call_up disclosure/model_cells.c \
    's/\z/\nextern int dc_series_find(const void *series, int32 release_id);\nextern int dc_planted(void);\nint\ndc_planted(void)\n{\n\treturn dc_series_find(NULL, 0);\n}\n/' \
    'model_cells.c \(model\) calls dc_series_find of disclosure/series.c, of a higher layer \(series\)'
# the audit engine reaches the dense tableau past the LP facade
plant private_header disclosure/audit.c \
    's/#include "audit.h"\n/#include "audit.h"\n#include "lp_dense.h"\n/' \
    'audit.c \(audit\) includes disclosure/lp_dense.h, private to the layer lp'
# the rows of a system call back the engine that reads them
plant cycle disclosure/audit_system.c \
    's/\z/\nextern int dc_planted(void);\nint\ndc_planted(void)\n{\n\treturn dc_audit_stats(false).audits;\n}\n/' \
    'depend on each other.*disclosure/audit.c, disclosure/audit_system.c'
# a file of src/ (base) calls the top of disclosure control
plant base_calls_up tally.c \
    's/\z/\nextern int dc_planted(void);\nextern int dc_min_count_arg(void *fcinfo, int n);\nint\ndc_planted(void)\n{\n\treturn dc_min_count_arg(NULL, 0);\n}\n/' \
    'tally.c \(base\) calls dc_min_count_arg of disclosure/sql_args.c, of a higher layer \(sql\)'
rm -rf "$copy"

exit "$status"
