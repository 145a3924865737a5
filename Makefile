# arrima_stats: PGXS build.  `make && make install`, then `make installcheck`
# against a running server; test/run does all of it on a throwaway cluster.

EXTENSION = arrima_stats
MODULE_big = arrima_stats
OBJS = $(patsubst %.c,%.o,$(sort $(wildcard src/*.c)))

# A second library, for the versions before 0.3.0 only: their scripts name
# the C functions by their old link symbols, which it exports, forwarding
# each call to arrima_<name> of arrima_stats (src/legacy/arrima_stats_legacy.c).
# Their secondary control files point MODULE_PATHNAME at it.
MODULES = arrima_stats_legacy
vpath arrima_stats_legacy.c src/legacy

# The first version's install script plus one upgrade script per later
# version, as in PostgreSQL's contrib: CREATE EXTENSION runs the chain.
DATA = $(sort $(wildcard sql/arrima_stats--*.sql)) \
	arrima_stats--0.1.0.control arrima_stats--0.2.0.control

REGRESS = classify tally rules rollups parallel ingest ingest_rules small_work_mem \
	shipped_categories tally_by publication reporting comments
REGRESS_OPTS = --load-extension=arrima_stats

# Concurrency, with pg_isolation_regress: specs and their expected output
# are under test/isolation.
ISOLATION = ingest_concurrent
ISOLATION_OPTS = --load-extension=arrima_stats --inputdir=test/isolation

# PostgreSQL's headers are system headers to us: warnings (-Wextra) are
# reported for our code only.
PG_CPPFLAGS = -isystem $(includedir_server)

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# Export only what is marked PGDLLEXPORT: the SQL entry points (arrima_*),
# pg_finfo_* and Pg_magic_func (src/export.h).  PostgreSQL 16 and later do
# this themselves; the flag is harmless twice.
ifeq ($(GCC),yes)
override CFLAGS += -fvisibility=hidden
endif

# The regression suite and the type fuzzing against a build with
# UndefinedBehaviorSanitizer, on a server under Valgrind: see test/sanitize.sh.
sanitize:
	test/sanitize.sh

.PHONY: sanitize
