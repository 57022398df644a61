import { describe, expect, it } from "vitest";
import { Vault } from "./vault.ts";

const k1 = Vault.generateKeySpec("k1");
const k2 = Vault.generateKeySpec("k2");

describe("Vault", () => {
  it("round-trips a secret and never stores the plaintext", () => {
    const v = new Vault(Vault.parseKeyring(k1));
    const sealed = v.seal("broker-pa55word", "broker_account:1:password");
    expect(sealed).not.toContain("broker-pa55word");
    expect(sealed.startsWith("v1.k1.")).toBe(true);
    expect(v.open(sealed, "broker_account:1:password")).toBe("broker-pa55word");
  });

  it("binds the ciphertext to its context", () => {
    const v = new Vault(Vault.parseKeyring(k1));
    const sealed = v.seal("secret", "broker_account:1:password");
    expect(() => v.open(sealed, "broker_account:2:password")).toThrow(/failed authentication/);
  });

  it("detects tampering", () => {
    const v = new Vault(Vault.parseKeyring(k1));
    const parts = v.seal("secret", "ctx").split(".");
    const ct = Buffer.from(parts[4]!, "base64url");
    ct[0] = ct[0]! ^ 1;
    parts[4] = ct.toString("base64url");
    expect(() => v.open(parts.join("."), "ctx")).toThrow(/failed authentication/);
  });

  it("keeps decrypting old rows after the active key changes (rotation)", () => {
    const old = new Vault(Vault.parseKeyring(k1));
    const sealedOld = old.seal("token-1", "ctx");
    const rotated = new Vault(Vault.parseKeyring(`${k2},${k1}`));
    expect(rotated.activeKeyId).toBe("k2");
    expect(rotated.open(sealedOld, "ctx")).toBe("token-1");
    expect(rotated.needsRotation(sealedOld)).toBe(true);
    const resealed = rotated.seal(rotated.open(sealedOld, "ctx"), "ctx");
    expect(rotated.needsRotation(resealed)).toBe(false);
    expect(() => old.open(resealed, "ctx")).toThrow(/not in the keyring/);
  });

  it("rejects keys of the wrong size", () => {
    expect(() => new Vault(Vault.parseKeyring("k:" + Buffer.alloc(16).toString("base64")))).toThrow(/32 bytes/);
  });
});
