import { badRequest, notFound } from '../errors';
import { boolParam, intParam, json, type Router } from '../http';
import { iso, type Owner, type Store } from '../store';

export const ownerOut = (o: Owner) => ({
  id: o.id,
  email: o.email,
  type: o.type,
  firstName: o.firstName,
  lastName: o.lastName,
  // Archived owners keep their user id only in userIdIncludingInactive; userId is null.
  userId: o.archived ? null : o.userId,
  userIdIncludingInactive: o.userId,
  createdAt: iso(o.createdAt),
  updatedAt: iso(o.updatedAt),
  archived: o.archived,
  teams: o.teams,
});

const OWNERS_MAX = 500;

export function registerOwnerRoutes(router: Router, store: Store, baseUrl: () => string): void {
  // The SDK calls /crm/v3/owners/ (trailing slash) when it sends a query; the router ignores it.
  router.add('GET', '/crm/v3/owners', (ctx) => {
    const limit = intParam(ctx.query, 'limit', 100, 1, OWNERS_MAX);
    const archived = boolParam(ctx.query, 'archived');
    const email = ctx.query.get('email')?.toLowerCase();
    const after = ctx.query.get('after');
    if (after !== null && after !== '' && !/^\d+$/.test(after)) {
      throw badRequest(`"after" must be a cursor from paging.next.after, got "${after}".`);
    }
    const all = store.owners.filter(
      (o) => o.archived === archived && (!email || o.email.toLowerCase() === email),
    );
    const start = after ? all.findIndex((o) => Number(o.id) >= Number(after)) : 0;
    const from = start < 0 ? all.length : start;
    const page = all.slice(from, from + limit);
    const next = all[from + limit];
    const body: Record<string, unknown> = { results: page.map(ownerOut) };
    if (next) {
      body.paging = {
        next: { after: next.id, link: `${baseUrl()}/crm/v3/owners/?limit=${limit}&after=${next.id}` },
      };
    }
    return json(200, body);
  });
  router.add('GET', '/crm/v3/owners/:ownerId', (ctx) => {
    const idProperty = ctx.query.get('idProperty') ?? 'id';
    if (idProperty !== 'id' && idProperty !== 'userId') {
      throw badRequest('idProperty must be "id" or "userId".');
    }
    const archived = boolParam(ctx.query, 'archived');
    const key = ctx.params.ownerId ?? '';
    const o = store.owners.find(
      (x) => (idProperty === 'id' ? x.id === key : String(x.userId) === key) && x.archived === archived,
    );
    if (!o) throw notFound();
    return json(200, ownerOut(o));
  });
}
