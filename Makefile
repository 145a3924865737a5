# arrima_stats: PGXS build.  `make && make install`, then `make installcheck`
# against a running server; test/run does all of it on a throwaway cluster.

EXTENSION = arrima_stats
MODULE_big = arrima_stats
OBJS = $(patsubst %.c,%.o,$(sort $(wildcard src/*.c)))

# The first version's install script plus one upgrade script per later
# version, as in PostgreSQL's contrib: CREATE EXTENSION runs the chain.
DATA = $(sort $(wildcard sql/arrima_stats--*.sql))

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

# The regression suite and the type fuzzing against a build with
# UndefinedBehaviorSanitizer, on a server under Valgrind: see test/sanitize.sh.
sanitize:
	test/sanitize.sh

.PHONY: sanitize
