/** Project globals only; the wx API types come from miniprogram-api-typings. */
interface IAppOption {
  globalData: {
    /** the CloudBase environment id the Mini Program talks to */
    env: string;
    /** this visitor's invite code, once `session.enter` answered */
    inviteCode?: string;
    /** where this visit came from (`ch` query or the default) */
    channel?: string;
    /** Distribution (issue 10): the public address of the Moments snapshot (services/moments) */
    momentsSnapshotUrl?: string;
  };
}
