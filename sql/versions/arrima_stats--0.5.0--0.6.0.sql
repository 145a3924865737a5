/* arrima_stats--0.5.0--0.6.0.sql: what changes from 0.5.0 to 0.6.0 */

-- complain if script is sourced in psql, rather than via ALTER EXTENSION
\echo Use "ALTER EXTENSION arrima_stats UPDATE TO '0.6.0'" to load this file. \quit
