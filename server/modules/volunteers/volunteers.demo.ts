import type { Executor } from '../../db/client.ts';
import type { Crypto } from '../../lib/crypto.ts';
import { newId } from '../../lib/ids.ts';
import * as repo from './volunteers.repo.ts';

/** Kinds of teams and stations, and activity themes: data every installation starts with (more can be added). */
export const TEAM_KINDS = ['青年志愿服务队', '巾帼志愿服务队', '平安志愿服务队', '绿色生态志愿服务队', '天使志愿服务队', '文明交通志愿服务队', '党员志愿服务队', '社区志愿服务队'];
export const STATION_KINDS = ['学雷锋志愿服务站', '新时代文明实践所', '新时代文明实践站'];
export const THEMES = ['关爱空巢老人', '关爱留守儿童', '关爱困难职工', '关爱残疾人', '文明交通', '环境整治', '垃圾分类', '文明餐桌', '理论宣讲', '应急救护', '助学支教'];

export async function seedVolunteerTags(db: Executor): Promise<void> {
  const rows = [
    ...TEAM_KINDS.map((name, i) => ({ id: newId(), category: 'team_kind', name, sort: i + 1 })),
    ...STATION_KINDS.map((name, i) => ({ id: newId(), category: 'station_kind', name, sort: i + 1 })),
    ...THEMES.map((name, i) => ({ id: newId(), category: 'theme', name, sort: i + 1 })),
  ];
  await repo.insertTags(db, rows);
}

export async function seedVolunteersDemo(_db: Executor, _crypto: Crypto): Promise<void> {}
