import { Type, type TSchema } from "typebox";

/** Shared route schemas. Every object schema is closed: unknown fields are rejected with a 400. */
export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: "Stable error code, e.g. CORE_ERR_INVALID." }),
      message: Type.String(),
      details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    }),
  },
  { $id: "ErrorResponse", description: "The one error shape." },
);

export const IdParams = Type.Object({ id: Type.String({ format: "uuid" }) }, { additionalProperties: false });

/** Decimal values travel as strings so no binary float rounding happens on the way. */
export const DecimalString = (description: string) => Type.String({ pattern: "^-?\\d+(\\.\\d+)?$", maxLength: 40, description });

/** A non-negative decimal as a string (volumes, prices). */
export const UnsignedDecimalString = (description: string) => Type.String({ pattern: "^\\d+(\\.\\d+)?$", maxLength: 40, description });

/** Standard error responses for an authenticated route, merged into its `response` schema. */
export function errorResponses(...statuses: number[]): Record<number, TSchema> {
  return Object.fromEntries(statuses.map((s) => [s, Type.Ref("ErrorResponse")]));
}

export const Pagination = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
    cursor: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);
