# arrima_stats: PGXS build.  `make && make install`, then `make installcheck`
# against a running server; test/run does all of it on a throwaway cluster.

EXTENSION = arrima_stats
EXTVERSION = $(shell sed -n "s/^default_version *= *'\([^']*\)'.*/\1/p" $(EXTENSION).control)

MODULE_big = arrima_stats
OBJS = $(patsubst %.c,%.o,$(sort $(wildcard src/*.c src/disclosure/*.c)))

# A second library, for the versions before 0.3.0 only: their scripts name
# the C functions by their old link symbols, which it exports, forwarding
# each call to arrima_<name> of arrima_stats (src/legacy/arrima_stats_legacy.c).
# Their secondary control files point MODULE_PATHNAME at it.
MODULES = arrima_stats_legacy
vpath arrima_stats_legacy.c src/legacy

# ---------------------------------------------------------------------------
# SQL scripts: one complete install script per version, small upgrade
# scripts between versions.
#
# The current version's install script (default_version of the control
# file) is built from the parts in sql/install/, one per concern,
# concatenated in this order behind the \echo guard, into
# arrima_stats--$(EXTVERSION).sql (not committed: make builds it, make clean
# removes it).  A later version edits or adds parts, and adds one upgrade
# script sql/versions/arrima_stats--<previous>--<new>.sql.
#
# Released versions keep their complete install script, committed and never
# edited, in sql/versions/ with the upgrade scripts: arrima_stats--0.1.0.sql,
# arrima_stats--0.2.0.sql ...  (sql/ itself holds the pg_regress tests, whose
# expected output is in expected/.)  When
# version N is released,
#
#   make freeze
#
# copies its built script to sql/versions/arrima_stats--N.sql (commit it); from then
# on the build fails if the parts no longer make that script.  To start
# version N+1:
#
#   make next-version NEXT=N+1
#
# freezes N if it is not yet, sets default_version to N+1 and starts
# sql/versions/arrima_stats--N--N+1.sql with its guard; commit them, then change the
# parts and write the upgrade.
# A C function's link symbol, once released, stays exported by one of the
# libraries: the released scripts name it.
# ---------------------------------------------------------------------------
INSTALL_PARTS = $(addprefix sql/install/,$(addsuffix .sql, \
	schema \
	types \
	reference \
	invitation \
	classify \
	tally \
	rollups \
	calendar \
	ingest \
	policy \
	publication \
	releases \
	reader \
	document \
	scheduling \
	reporting \
	dashboard_comments))

VERSIONS = sql/versions
DATA_built = $(EXTENSION)--$(EXTVERSION).sql
DATA = $(filter-out $(VERSIONS)/$(DATA_built),$(sort $(wildcard $(VERSIONS)/$(EXTENSION)--*.sql))) \
	$(sort $(wildcard $(EXTENSION)--*.control))

REGRESS = classify tally tally_change rules rollups parallel ingest ingest_rules small_work_mem \
	shipped_categories tally_by calendar publication releases series_readable reader document bad_input \
	reporting \
	comments
REGRESS_OPTS = --load-extension=arrima_stats

# Concurrency, with pg_isolation_regress: specs and their expected output
# are under test/isolation.
ISOLATION = ingest_concurrent calendar_concurrent
ISOLATION_OPTS = --load-extension=arrima_stats --inputdir=test/isolation

# src/disclosure/ includes the headers of src/ (tally.h, export.h ...).
# PostgreSQL's headers are system headers to us: warnings (-Wextra) are
# reported for our code only.
PG_CPPFLAGS = -I$(srcdir)/src -isystem $(includedir_server)

# The disclosure audit's linear programs are solved by COIN-OR Clp
# (Debian: coinor-libclp-dev), behind the LP facade src/disclosure/lp.c.
SHLIB_LINK += -lClp -lCoinUtils

EXTRA_CLEAN = $(DATA_built).tmp

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# Export only what is marked PGDLLEXPORT: the SQL entry points (arrima_*),
# pg_finfo_* and Pg_magic_func (src/export.h).  PostgreSQL 16 and later do
# this themselves; the flag is harmless twice.
ifeq ($(GCC),yes)
override CFLAGS += -fvisibility=hidden
endif

$(DATA_built): $(INSTALL_PARTS) $(EXTENSION).control Makefile
	@test -n "$(EXTVERSION)" || { echo "no default_version in $(EXTENSION).control" >&2; exit 1; }
	{ printf '%s\n' '/* $@: the install script of version $(EXTVERSION), built by make from sql/install/ */' '' \
	    '-- complain if script is sourced in psql, rather than via CREATE EXTENSION' \
	    '\echo Use "CREATE EXTENSION $(EXTENSION)" to load this file. \quit'; \
	  for part in $(INSTALL_PARTS); do echo; cat "$$part" || exit 1; done; \
	} >$@.tmp
	@if [ -e $(VERSIONS)/$@ ] && ! cmp -s $@.tmp $(VERSIONS)/$@; then \
	  rm -f $@.tmp; \
	  echo "$(EXTVERSION) is released ($(VERSIONS)/$@) and sql/install/ no longer builds it:" \
	    "start the next version first (make next-version NEXT=...)" >&2; exit 1; fi
	mv $@.tmp $@

# Freeze the current version, once released (see above).
freeze: $(DATA_built)
	@if [ -e $(VERSIONS)/$(DATA_built) ]; then echo "$(EXTVERSION) is frozen already ($(VERSIONS)/$(DATA_built))."; \
	else cp $(DATA_built) $(VERSIONS)/$(DATA_built) && \
	  echo "$(EXTVERSION) frozen in $(VERSIONS)/$(DATA_built): commit it."; fi

# Start the next version, freezing the current one if need be (see above).
next-version:
	@test -n "$(NEXT)" || { echo "usage: make next-version NEXT=<version after $(EXTVERSION)>" >&2; exit 1; }
	@test "$(NEXT)" != "$(EXTVERSION)" || { echo "$(NEXT) is the current version" >&2; exit 1; }
	@test ! -e $(VERSIONS)/$(EXTENSION)--$(EXTVERSION)--$(NEXT).sql || { echo "$(VERSIONS)/$(EXTENSION)--$(EXTVERSION)--$(NEXT).sql exists" >&2; exit 1; }
	$(MAKE) freeze
	sed -i "s/^default_version *=.*/default_version = '$(NEXT)'/" $(EXTENSION).control
	printf '%s\n' '/* $(EXTENSION)--$(EXTVERSION)--$(NEXT).sql: what changes from $(EXTVERSION) to $(NEXT) */' '' \
	  '-- complain if script is sourced in psql, rather than via ALTER EXTENSION' \
	  '\echo Use "ALTER EXTENSION $(EXTENSION) UPDATE TO '"'$(NEXT)'"'" to load this file. \quit' \
	  >$(VERSIONS)/$(EXTENSION)--$(EXTVERSION)--$(NEXT).sql
	rm -f $(DATA_built)
	@echo "$(EXTVERSION) frozen in $(VERSIONS)/$(DATA_built); default_version is $(NEXT)."
	@echo "Commit them with $(VERSIONS)/$(EXTENSION)--$(EXTVERSION)--$(NEXT).sql; then change sql/install/ and write the upgrade."

# The regression suite and the type fuzzing against a build with
# UndefinedBehaviorSanitizer, on a server under Valgrind: see test/manual/sanitize.sh.
sanitize:
	test/manual/sanitize.sh

.PHONY: sanitize freeze next-version
