import { FormatRegistry } from "@sinclair/typebox";

/**
 * The `date-time` string format the CRDs give timestamps (metav1.Time), as the API server checks
 * it (kube-openapi strfmt: RFC 3339, a space allowed for the T, the zone as Z or ±hh:mm / ±hhmm).
 * TypeBox refuses every value of a format it does not know, so the format is registered where
 * the schemas that use it are defined.
 */
const rfc3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:?\d{2})$/;

if (!FormatRegistry.Has("date-time"))
  FormatRegistry.Set("date-time", (value) => rfc3339.test(value));
