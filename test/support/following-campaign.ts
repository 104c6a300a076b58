/**
 * Retention (issue 15): the config of a campaign that follows another — the same offer under a
 * new id and title, running `days` from `startAt` — as an operator would make the next one.
 */
type Config = Record<string, any>;

export function followingCampaign(
  config: Config,
  next: { id: string; title: string; startAt: Date; days: number },
): Config {
  const following = JSON.parse(JSON.stringify(config)) as Config;
  const startAt = next.startAt.toISOString();
  const endAt = new Date(next.startAt.getTime() + next.days * 24 * 3600e3).toISOString();
  Object.assign(following, { id: next.id, title: next.title, startAt, endAt });
  following.magnet.claimWindow = { startAt, endAt };
  for (const template of following.couponTemplates) {
    if (template.validUntil) template.validUntil = endAt;
  }
  return following;
}
