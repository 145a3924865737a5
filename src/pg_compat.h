/*-------------------------------------------------------------------------
 *
 * pg_compat.h
 *	  Where the server's C API differs between the PostgreSQL majors the
 *	  extension is built for (15, 17 and 18 are built and tested; 16 is
 *	  expected to work): every version guard of that kind is here, so that
 *	  the rest of the C is written once, against PostgreSQL 18's names.
 *	  Include it after postgres.h.
 *
 * (export.h makes PostgreSQL 16's symbol visibility before 16, and tally.h
 * chooses between soft and hard input errors: their guards are the
 * definitions themselves.)
 *
 *-------------------------------------------------------------------------
 */
#ifndef ARRIMA_PG_COMPAT_H
#define ARRIMA_PG_COMPAT_H

/*
 * PostgreSQL 16 moved the varlena macros (VARDATA_ANY, VARSIZE_ANY_EXHDR,
 * SET_VARSIZE ...) out of postgres.h into varatt.h, which postgres.h no
 * longer includes.
 */
#if PG_VERSION_NUM >= 160000
#include "varatt.h"
#endif

/*
 * A function that never returns.  PostgreSQL 18 replaced the attribute
 * written after the declarator, pg_attribute_noreturn(), with pg_noreturn,
 * written first (C11's _Noreturn); GCC and Clang accept the attribute
 * there too.  Write: pg_noreturn static void f(...);
 */
#ifndef pg_noreturn
#define pg_noreturn pg_attribute_noreturn()
#endif

#endif							/* ARRIMA_PG_COMPAT_H */
