/**
 * Distribution (issue 10): the campaign as a page opened from Moments (朋友圈单页模式, scene 1154)
 * may read it. That page has no login, so no cloud call; it reads this public JSON file in cloud
 * storage with `wx.request` instead (CloudBase storage is readable by everyone by default, and the
 * file holds nothing a visitor may not see: the public view of campaign.get).
 *
 * Written when an operator saves the campaign and by every hourly cron run (the claim count moves,
 * the image's temporary URL is renewed), so it is at most an hour behind.
 */
import type { CampaignDoc } from './repositories/campaigns';
import { displayUrl, storeFile } from './cloud';
import type { PublicCampaign } from './contracts';
import { readSocialProof } from './social-proof';
import { publicCampaign } from './views';

/** Where the snapshot lives in cloud storage (the Mini Program's MOMENTS_SNAPSHOT_URL points here). */
export const MOMENTS_SNAPSHOT_PATH = 'public/moments.json';

/** The public view of the campaign with a URL for its image, as of `now`; answers the fileID. */
export async function publishMomentsSnapshot(campaignDoc: CampaignDoc, now: Date): Promise<string> {
  const proof = await readSocialProof(campaignDoc._id, campaignDoc.config);
  const view: PublicCampaign = publicCampaign(campaignDoc.config, now, proof, campaignDoc.status);
  view.magnet.image = await displayUrl(view.magnet.image);
  return storeFile(MOMENTS_SNAPSHOT_PATH, JSON.stringify(view));
}
