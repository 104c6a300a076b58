/**
 * The Mini Program through `miniprogram-ci` (WeChat's own compiler and uploader, taken out of
 * DevTools). It honours project.config.json: `miniprogramRoot`, `packOptions` and the setting
 * `useCompilerPlugins: ["typescript"]`, so the TypeScript is compiled exactly as DevTools would.
 *
 * - `upload`: a development version (版本管理 → 开发版本) with a version, a description and a
 *   robot (1–30: which CI robot shows as the uploader).
 * - `preview`: compiles, uploads a temporary package and writes its QR code to a file.
 * - `pack` (offline, `npm run pack:miniprogram`): compiles into the package WeChat would receive,
 *   with no network. miniprogram-ci normally asks WeChat for the AppID's attributes (signed with
 *   the upload key); the project's `attr` hook answers with miniprogram-ci's own defaults instead,
 *   so a throwaway AppID and key are enough.
 * Upload and preview need the AppID's upload key (代码上传密钥) and this machine's IP on the
 * key's whitelist, both from mp.weixin.qq.com → 开发管理 → 开发设置.
 */
import type * as MiniprogramCi from 'miniprogram-ci';
import type { ICreateProjectOptions } from 'miniprogram-ci/dist/@types/project/ciProject';
import { change, unknown, type Step } from './plan';

/** Required on use: the compiler is large and a dry run without it stays quick. */
function ci(): typeof MiniprogramCi {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('miniprogram-ci') as typeof MiniprogramCi;
}

export interface ProjectKey {
  appid: string;
  privateKeyPath?: string;
  privateKey?: string;
}

export function miniprogramProject(
  projectRoot: string,
  key: ProjectKey,
  options: { offline?: boolean } = {},
): MiniprogramCi.Project {
  const { Project, DefaultProjectAttr } = ci();
  const projectOptions: ICreateProjectOptions & { attr?: () => Promise<unknown> } = {
    appid: key.appid,
    type: 'miniProgram',
    projectPath: projectRoot,
    ...(key.privateKey ? { privateKey: key.privateKey } : { privateKeyPath: key.privateKeyPath }),
    ignores: ['node_modules/**/*'],
    // read by CIProject.attr() although its options type does not list it
    ...(options.offline ? { attr: async () => DefaultProjectAttr } : {}),
  };
  return new Project(projectOptions);
}

/** The settings of project.config.json (es6, minify, the TypeScript plugin…), as DevTools uses them. */
const setting = { useProjectConfig: true } as const;

export interface Release {
  version: string;
  desc: string;
  robot: number;
  /** write a preview QR code here instead of uploading a version */
  previewQrcode?: string;
}

export interface Publisher {
  upload(projectRoot: string, key: ProjectKey, release: Release): Promise<void>;
  preview(projectRoot: string, key: ProjectKey, release: Release, qrcode: string): Promise<void>;
}

export const miniprogramCi: Publisher = {
  async upload(projectRoot, key, { version, desc, robot }) {
    const project = miniprogramProject(projectRoot, key);
    await ci().upload({ project, version, desc, robot, setting, onProgressUpdate: progress });
  },
  async preview(projectRoot, key, { version, desc, robot }, qrcode) {
    await ci().preview({
      project: miniprogramProject(projectRoot, key),
      version,
      desc,
      robot,
      setting,
      qrcodeFormat: 'image',
      qrcodeOutputDest: qrcode,
      onProgressUpdate: progress,
    });
  },
};

/** miniprogram-ci reports every sub-task; the finished ones are enough to follow along. */
function progress(task: unknown): void {
  const t = task as { status?: string; message?: string };
  if (t.status === 'done' || t.status === 'fail') console.log(`    ${t.status} ${t.message}`);
}

export function miniprogramStep(
  projectRoot: string,
  key: Partial<ProjectKey>,
  release: Release,
  publisher: Publisher,
): Step {
  return {
    part: 'miniprogram',
    title: 'Mini Program (miniprogram-ci)',
    async plan(connected) {
      const what = release.previewQrcode
        ? `preview of ${key.appid ?? '$WX_APPID'} → QR code ${release.previewQrcode}`
        : `upload ${key.appid ?? '$WX_APPID'} version ${release.version} “${release.desc}” (robot ${release.robot})`;
      if (!connected || !key.appid)
        return [unknown(what, 'needs WX_APPID and WX_PRIVATE_KEY_PATH')];
      const projectKey = key as ProjectKey;
      return [
        change(what, 'compile and send', async () => {
          if (release.previewQrcode)
            await publisher.preview(projectRoot, projectKey, release, release.previewQrcode);
          else await publisher.upload(projectRoot, projectKey, release);
        }),
      ];
    },
  };
}
