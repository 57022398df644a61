import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { CoreErrors, RiskloopError } from "./errors.ts";

/** Encryption keys by id; `activeKeyId` encrypts, every key decrypts (so rotation never breaks old rows). */
export interface VaultKeyring {
  activeKeyId: string;
  keys: ReadonlyMap<string, Buffer>;
}

/** A secret at rest: `v1.<keyId>.<iv>.<tag>.<ciphertext>` (base64url parts). */
export type SealedSecret = string;

const VERSION = "v1";

/**
 * AES-256-GCM envelope for broker passwords and API tokens. The `context` (for example
 * `broker_account:<id>:password`) is bound as additional authenticated data, so a ciphertext copied to
 * another row does not decrypt.
 */
export class Vault {
  readonly #ring: VaultKeyring;

  constructor(ring: VaultKeyring) {
    for (const [id, key] of ring.keys) {
      if (key.length !== 32) throw vaultError(`key ${id} must be 32 bytes, got ${key.length}`);
      if (!/^[A-Za-z0-9_-]+$/.test(id)) throw vaultError(`key id "${id}" must be letters, digits, _ or -`);
    }
    if (!ring.keys.has(ring.activeKeyId)) throw vaultError(`active key ${ring.activeKeyId} is not in the keyring`);
    this.#ring = ring;
  }

  /** Parses `id:base64,id2:base64`; the first entry becomes the active key. */
  static parseKeyring(spec: string): VaultKeyring {
    const keys = new Map<string, Buffer>();
    let activeKeyId: string | undefined;
    for (const part of spec.split(",").map((s) => s.trim()).filter(Boolean)) {
      const i = part.indexOf(":");
      if (i <= 0) throw vaultError("RISKLOOP_VAULT_KEYS entries must look like keyId:base64key");
      const id = part.slice(0, i);
      keys.set(id, Buffer.from(part.slice(i + 1), "base64"));
      activeKeyId ??= id;
    }
    if (!activeKeyId) throw vaultError("RISKLOOP_VAULT_KEYS holds no key");
    return { activeKeyId, keys };
  }

  /** A fresh random key, formatted for RISKLOOP_VAULT_KEYS. */
  static generateKeySpec(id: string): string {
    return `${id}:${randomBytes(32).toString("base64")}`;
  }

  get activeKeyId(): string {
    return this.#ring.activeKeyId;
  }

  seal(plaintext: string, context: string): SealedSecret {
    const key = this.#ring.keys.get(this.#ring.activeKeyId)!;
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", key, iv);
    cipher.setAAD(Buffer.from(context, "utf8"));
    const ct = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    return [VERSION, this.#ring.activeKeyId, b64(iv), b64(cipher.getAuthTag()), b64(ct)].join(".");
  }

  open(sealed: SealedSecret, context: string): string {
    const parts = sealed.split(".");
    if (parts.length !== 5 || parts[0] !== VERSION) throw vaultError("not a sealed secret");
    const [, keyId, iv, tag, ct] = parts as [string, string, string, string, string];
    const key = this.#ring.keys.get(keyId);
    if (!key) throw vaultError(`secret was sealed with key ${keyId}, which is not in the keyring`);
    try {
      const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
      decipher.setAAD(Buffer.from(context, "utf8"));
      decipher.setAuthTag(Buffer.from(tag, "base64url"));
      return Buffer.concat([decipher.update(Buffer.from(ct, "base64url")), decipher.final()]).toString("utf8");
    } catch {
      throw vaultError("secret failed authentication (wrong key or context)");
    }
  }

  /** The key id a sealed secret was encrypted with, without decrypting it. */
  static keyIdOf(sealed: SealedSecret): string {
    return sealed.split(".")[1] ?? "";
  }

  /** True when the secret should be re-sealed under the active key. */
  needsRotation(sealed: SealedSecret): boolean {
    return Vault.keyIdOf(sealed) !== this.#ring.activeKeyId;
  }
}

function b64(buf: Buffer): string {
  return buf.toString("base64url");
}

function vaultError(message: string): RiskloopError {
  return new RiskloopError(CoreErrors.CORE_ERR_VAULT, message);
}
