import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { OutlayError, type Role } from '@outlay/schema';
import type { Store, StoredKey } from '@outlay/store';

/** Who a request is: the project it may touch (`*` for the admin key) and its role. */
export interface Principal {
  keyId: string;
  project: string;
  role: Role;
}

const keyPattern = /^olk_([a-f0-9]{12})_([A-Za-z0-9_-]{43})$/;

const sha256 = (text: string): Buffer => createHash('sha256').update(text).digest();

/**
 * Issues and checks API keys. A key is `olk_<id>_<secret>`: the id finds the stored row, the secret is kept only
 * as its SHA-256 (the secret is 256 random bits, so a slow password hash adds nothing) and compared in constant time.
 */
export class ApiKeys {
  private readonly envAdminHash: Buffer | null;

  constructor(
    private readonly store: Store,
    envAdminKey: string | undefined,
  ) {
    this.envAdminHash = envAdminKey ? sha256(envAdminKey) : null;
  }

  async create(project: string, role: Role, name: string | null): Promise<{ key: string; stored: StoredKey }> {
    const id = randomBytes(6).toString('hex');
    const secret = randomBytes(32).toString('base64url');
    const stored: StoredKey = {
      id,
      project,
      role,
      name,
      prefix: `olk_${id}`,
      hash: sha256(secret).toString('hex'),
      created_at: new Date().toISOString(),
      revoked_at: null,
    };
    await this.store.createKey(stored);
    return { key: `olk_${id}_${secret}`, stored };
  }

  /** The principal a bearer key stands for; throws `unauthorized` for a missing, unknown or revoked key. */
  async verify(presented: string | undefined): Promise<Principal> {
    if (!presented) throw new OutlayError('unauthorized', 'missing API key: send "Authorization: Bearer <key>"');
    if (this.envAdminHash && timingSafeEqual(sha256(presented), this.envAdminHash)) {
      return { keyId: 'env-admin', project: '*', role: 'admin' };
    }
    const match = keyPattern.exec(presented);
    if (match) {
      const stored = await this.store.findKey(match[1]!);
      if (stored && stored.revoked_at === null && timingSafeEqual(sha256(match[2]!), Buffer.from(stored.hash, 'hex'))) {
        return { keyId: stored.id, project: stored.project, role: stored.role };
      }
    }
    throw new OutlayError('unauthorized', 'that API key was not accepted (unknown or revoked)');
  }
}

/** The roles that may call a route needing `role`: admin may do everything. */
export function allows(principal: Principal, role: Role): boolean {
  return principal.role === 'admin' || principal.role === role;
}
