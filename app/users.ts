import {
  CoreErrors,
  RiskloopError,
  hashPassword,
  invalid,
  passwordProblem,
  verifyPassword,
  type Actor,
  type Clock,
  type Plan,
  type Role,
} from "../core/index.ts";
import type { PrismaClient } from "../prisma/index.ts";

export interface PublicUser {
  id: string;
  email: string;
  role: Role;
  plan: Plan;
  active: boolean;
  createdAt: Date;
}

const ACTOR_CACHE_MS = 5_000;

/** Registration, password login and the cached actor lookup every authenticated request makes. */
export class UserService {
  readonly #cache = new Map<string, { actor: Actor | null; until: number }>();
  #dummyHash: Promise<string> | undefined;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly clock: Clock,
  ) {}

  async register(input: { email: string; password: string; role?: Role; plan?: Plan }): Promise<PublicUser> {
    const email = input.email.trim().toLowerCase();
    const problem = passwordProblem(input.password);
    if (problem) throw invalid("password", problem);
    const passwordHash = await hashPassword(input.password);
    try {
      const user = await this.prisma.user.create({
        data: { email, passwordHash, role: input.role ?? "USER", plan: input.plan ?? "FREE", active: true },
      });
      return toPublic(user);
    } catch (err) {
      if ((err as { code?: string }).code === "P2002") {
        throw new RiskloopError(CoreErrors.CORE_ERR_CONFLICT, "email is already registered", { field: "email" });
      }
      throw err;
    }
  }

  /** Returns the user when the password matches; spends the same hashing time when the email is unknown. */
  async verifyLogin(emailRaw: string, password: string): Promise<PublicUser | null> {
    const user = await this.prisma.user.findUnique({ where: { email: emailRaw.trim().toLowerCase() } });
    if (!user) {
      this.#dummyHash ??= hashPassword("timing-equaliser-password");
      await verifyPassword(password, await this.#dummyHash);
      return null;
    }
    if (!(await verifyPassword(password, user.passwordHash)) || !user.active) return null;
    return toPublic(user);
  }

  /** The actor for a token subject, or null when the user is gone or deactivated (cached briefly). */
  async actor(userId: string): Promise<Actor | null> {
    const now = this.clock.now();
    const hit = this.#cache.get(userId);
    if (hit && hit.until > now) return hit.actor;
    const user = await this.prisma.user.findUnique({ where: { id: userId } });
    const actor = user && user.active ? { id: user.id, role: user.role, plan: user.plan } : null;
    this.#cache.set(userId, { actor, until: now + ACTOR_CACHE_MS });
    return actor;
  }

  async get(userId: string): Promise<PublicUser | null> {
    const user = await this.prisma.user.findUnique({ where: { id: userId } });
    return user ? toPublic(user) : null;
  }

  /** Creates the user if absent (demo data, first admin); never changes an existing password. */
  async ensure(input: { email: string; password: string; role: Role; plan: Plan }): Promise<{ user: PublicUser; created: boolean }> {
    const existing = await this.prisma.user.findUnique({ where: { email: input.email } });
    if (existing) return { user: toPublic(existing), created: false };
    return { user: await this.register(input), created: true };
  }
}

function toPublic(u: { id: string; email: string; role: Role; plan: Plan; active: boolean; createdAt: Date }): PublicUser {
  return { id: u.id, email: u.email, role: u.role, plan: u.plan, active: u.active, createdAt: u.createdAt };
}
