/** The four FX sessions, in the order the FX day meets them. */
export const SESSION_NAMES = ["SYDNEY", "TOKYO", "LONDON", "NEW_YORK"] as const;
export type SessionName = (typeof SESSION_NAMES)[number];

/** A session's local business hours on local Monday–Friday, as minutes after local midnight. */
export interface SessionHours {
  zone: string;
  openMinute: number;
  closeMinute: number;
}

/**
 * Business hours in each city's own time zone, so every DST change (Europe, US, and Sydney's southern-
 * hemisphere one) moves the session in UTC: Sydney 07:00–16:00, Tokyo 09:00–18:00, London 08:00–17:00,
 * New York 08:00–17:00, local Monday to Friday. Exchange holidays are not modelled (the FX market trades
 * through most of them). Opening at the open minute, closed from the close minute.
 */
export const SESSION_HOURS: Readonly<Record<SessionName, SessionHours>> = {
  SYDNEY: { zone: "Australia/Sydney", openMinute: 7 * 60, closeMinute: 16 * 60 },
  TOKYO: { zone: "Asia/Tokyo", openMinute: 9 * 60, closeMinute: 18 * 60 },
  LONDON: { zone: "Europe/London", openMinute: 8 * 60, closeMinute: 17 * 60 },
  NEW_YORK: { zone: "America/New_York", openMinute: 8 * 60, closeMinute: 17 * 60 },
};

/** The FX week: open from Sunday 17:00 to Friday 17:00 New York time; closed over the weekend. */
export const FX_WEEK = { zone: "America/New_York", openMinute: 17 * 60 } as const;
