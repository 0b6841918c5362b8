import { type EntityManager, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { Context, Middleware } from 'koa';
// In your app: from 'mikro-multi-account/koa'.
import { accountSession } from '../../src/koa/index.ts';
import { Membership, Note, Team, type User } from './entities.ts';

/** The active team lives in the acting account's own state: a switch to another account switches teams. */
const activeKey = 'teamId';

/** The acting account's teams, its personal one first. */
export async function teamsOf(em: EntityManager, user: User): Promise<Team[]> {
  const memberships = await em.find(Membership, { user }, { populate: ['team'], orderBy: { team: { id: 'asc' } } });
  const teams = memberships.map(membership => membership.team);
  return [...teams.filter(team => team.personalOf), ...teams.filter(team => !team.personalOf)];
}

/**
 * The user's personal team, made on first use (accounts created before teams existed have none yet). Two first
 * requests at once both try: the one that loses the unique index reads the winner's.
 */
async function personalTeam(em: EntityManager, user: User): Promise<Team> {
  const existing = await em.findOne(Team, { personalOf: user });
  if (existing) return existing;
  const fork = em.fork();
  const team = fork.create(Team, { name: `${user.name} (personal)`, personalOf: user.id });
  fork.create(Membership, { user: user.id, team });
  try {
    await fork.flush();
  } catch (error) {
    if (!(error instanceof UniqueConstraintViolationException)) throw error;
  }
  return em.findOneOrFail(Team, { personalOf: user });
}

/**
 * After the loader: the acting account's active team — its own choice, if it is still a member, else its
 * personal team — scopes every query of notes (the `team` filter) and is `ctx.state.team`.
 */
export function activeTeam(em: (ctx: Context) => EntityManager): Middleware {
  return async (ctx, next) => {
    const user = ctx.state.currentUser as User | null;
    if (user) {
      const requestEm = em(ctx);
      const mine = accountSession(ctx)!;
      const chosen = Number(mine[activeKey]);
      const membership = Number.isSafeInteger(chosen)
        ? await requestEm.findOne(Membership, { user, team: chosen }, { populate: ['team'] })
        : null;
      const team = membership?.team ?? (await personalTeam(requestEm, user));
      if (!membership) mine[activeKey] = team.id;
      requestEm.setFilterParams('team', { teamId: team.id });
      ctx.state.team = team;
    }
    await next();
  };
}

/** The chooser: a member picks one of its teams; anything else changes nothing. */
export async function chooseTeam(ctx: Context, em: EntityManager, teamId: number): Promise<boolean> {
  const user = ctx.state.currentUser as User | null;
  if (!user || !Number.isSafeInteger(teamId) || (await em.count(Membership, { user, team: teamId })) !== 1) {
    return false;
  }
  accountSession(ctx)![activeKey] = teamId;
  return true;
}

/** A note, always in the active team. */
export async function addNote(ctx: Context, em: EntityManager, text: string): Promise<void> {
  em.create(Note, { team: ctx.state.team as Team, author: ctx.state.currentUser as User, text });
  await em.flush();
}
