/*-------------------------------------------------------------------------
 *
 * outcome.c
 *	  The lookup of the extension's enum labels (outcome.h).
 *
 * C code sees the SQL enums as small integers (outcome.h).  The OIDs of
 * their labels are found once per call site in the catalogs, in the schema
 * of the calling function, so that a hostile search_path cannot substitute
 * other types.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_enum.h"
#include "catalog/pg_type.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"

#include "outcome.h"

static const char *const outcome_labels[NUM_OUTCOMES] = {
	[OUTCOME_AWAITING_RESPONSE] = "awaiting_response",
	[OUTCOME_DECLINED] = "declined",
	[OUTCOME_EXPIRED] = "expired",
	[OUTCOME_IN_PROCESSING] = "in_processing",
	[OUTCOME_CANCELLATION_PENDING] = "cancellation_pending",
	[OUTCOME_REJECTED] = "rejected",
	[OUTCOME_REFUSED] = "refused",
	[OUTCOME_CANCELLED] = "cancelled",
	[OUTCOME_WITHDRAWN] = "withdrawn",
	[OUTCOME_SELECTED] = "selected",
};

const char *const decision_labels[NUM_DECISIONS] = {
	[DECISION_REJECTED] = "rejected",
	[DECISION_REFUSED] = "refused",
	[DECISION_CANCELLED] = "cancelled",
	[DECISION_WITHDRAWN] = "withdrawn",
	[DECISION_SELECTED] = "selected",
};

const char *const ground_labels[NUM_GROUNDS] = {
	[GROUND_CANNOT_SUPPORT] = "cannot_support",
	[GROUND_DID_NOT_SUPPORT] = "did_not_support",
};

/* The OID of an enum type of the extension's schema, by name */
static Oid
enum_type_oid(Oid namespace, const char *typname)
{
	Oid			typid;

	typid = GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid,
							CStringGetDatum(typname),
							ObjectIdGetDatum(namespace));
	if (!OidIsValid(typid) || !type_is_enum(typid))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("enum type \"%s.%s\" does not exist",
						get_namespace_name(namespace), typname),
				 errhint("The arrima_stats extension may be damaged; reinstall it.")));
	return typid;
}

/* Fill oids[] with the OIDs of labels[] of one enum type */
static void
load_labels(Oid typid, const char *const *labels, int n, Oid *oids)
{
	for (int i = 0; i < n; i++)
	{
		oids[i] = GetSysCacheOid2(ENUMTYPOIDNAME, Anum_pg_enum_oid,
								  ObjectIdGetDatum(typid),
								  CStringGetDatum(labels[i]));
		if (!OidIsValid(oids[i]))
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_OBJECT),
					 errmsg("enum type %s has no label \"%s\"",
							format_type_be(typid), labels[i]),
					 errhint("The arrima_stats extension may be damaged; reinstall it.")));
	}
}

/*
 * Look up every label the C code uses, in the schema of function fn_oid
 * (one of the extension's own).
 */
void
arrima_enums_load(ArrimaEnums *enums, Oid fn_oid)
{
	Oid			namespace = get_func_namespace(fn_oid);

	enums->outcome_type = enum_type_oid(namespace, "outcome");
	load_labels(enums->outcome_type, outcome_labels, NUM_OUTCOMES,
				enums->outcome);
	enums->decision_type = enum_type_oid(namespace, "decision");
	load_labels(enums->decision_type, decision_labels, NUM_DECISIONS,
				enums->decision);
	enums->ground_type = enum_type_oid(namespace, "notice_ground");
	load_labels(enums->ground_type, ground_labels, NUM_GROUNDS,
				enums->ground);
}
