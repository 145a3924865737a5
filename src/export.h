/*-------------------------------------------------------------------------
 *
 * export.h
 *	  What the libraries export.  They are built with -fvisibility=hidden
 *	  (see the Makefile), so only what is declared PGDLLEXPORT is seen from
 *	  outside: Pg_magic_func (PG_MODULE_MAGIC), and for each SQL-callable
 *	  function (PG_FUNCTION_INFO_V1) the function itself and its
 *	  pg_finfo_ record.  In arrima_stats every such function is named
 *	  arrima_<name>; the rest of the C is static or hidden.
 *
 * PostgreSQL 16 does this itself: PGDLLEXPORT is the "default" visibility
 * on compilers that know it, and PG_FUNCTION_INFO_V1 declares the function
 * PGDLLEXPORT too.  Before 16, PGDLLEXPORT is empty outside Windows and
 * PG_FUNCTION_INFO_V1 declares only the pg_finfo_ record so; both are made
 * here as in 16.  Include this header after postgres.h, in every file that
 * uses PG_MODULE_MAGIC or PG_FUNCTION_INFO_V1 (the macros expand
 * PGDLLEXPORT where they are used).
 *
 *-------------------------------------------------------------------------
 */
#ifndef ARRIMA_EXPORT_H
#define ARRIMA_EXPORT_H

#include "fmgr.h"

#if PG_VERSION_NUM < 160000

#if defined(__GNUC__) && !defined(WIN32)
#undef PGDLLEXPORT
#define PGDLLEXPORT __attribute__((visibility("default")))
#endif

/* PostgreSQL 16's definition */
#undef PG_FUNCTION_INFO_V1
#define PG_FUNCTION_INFO_V1(funcname) \
extern PGDLLEXPORT Datum funcname(PG_FUNCTION_ARGS); \
extern PGDLLEXPORT const Pg_finfo_record * CppConcat(pg_finfo_,funcname)(void); \
const Pg_finfo_record * \
CppConcat(pg_finfo_,funcname) (void) \
{ \
	static const Pg_finfo_record my_finfo = { 1 }; \
	return &my_finfo; \
} \
extern int no_such_variable

#endif							/* PG_VERSION_NUM < 160000 */

#endif							/* ARRIMA_EXPORT_H */
