/**
 * 「示范市」: a fictional city with a real city's shape. Division codes use the unassigned
 * province prefix 99 so they never collide with real GB/T 2260 codes.
 */
export const CITY = { name: '示范市', code: '990100', center: [113.6654, 34.7579] as [number, number] };

type DistrictSeed = {
  key: string;
  name: string;
  code: string;
  streets: { key: string; name: string; code: string; communities: [string, string][] }[];
};
export const DISTRICTS: DistrictSeed[] = [
  {
    key: 'wm', name: '文明区', code: '990102',
    streets: [
      { key: 'xh', name: '新华街道', code: '990102001', communities: [['cy', '朝阳社区'], ['gm', '光明社区']] },
      { key: 'rm', name: '人民街道', code: '990102002', communities: [['js', '建设社区'], ['jf', '解放社区']] },
    ],
  },
  {
    key: 'hx', name: '和谐区', code: '990103',
    streets: [
      { key: 'xf', name: '幸福街道', code: '990103001', communities: [['hp', '和平社区'], ['tj', '团结社区']] },
      { key: 'yy', name: '友谊街道', code: '990103002', communities: [['zx', '振兴社区'], ['cf', '春风社区']] },
    ],
  },
];

type UnitSeed = { key: string; name: string; kind: 'department' | 'unit'; subKind: string; parent: string };
/** parent: 'city', a district key, or a street key */
export const UNITS: UnitSeed[] = [
  { key: 'cwb_dc', name: '市创文办督查组', kind: 'department', subKind: 'agency', parent: 'city' },
  { key: 'cwb_jd', name: '市创文办义务监督员队', kind: 'department', subKind: 'agency', parent: 'city' },
  { key: 'xcb', name: '市委宣传部', kind: 'department', subKind: 'agency', parent: 'city' },
  { key: 'jyj', name: '市教育局', kind: 'department', subKind: 'agency', parent: 'city' },
  { key: 'wjw', name: '市卫生健康委员会', kind: 'department', subKind: 'agency', parent: 'city' },
  { key: 'zjj', name: '市住房和城乡建设局', kind: 'department', subKind: 'agency', parent: 'city' },
  { key: 'cgj', name: '市城市管理局', kind: 'department', subKind: 'agency', parent: 'city' },
  { key: 'jtj', name: '市交通运输局', kind: 'department', subKind: 'agency', parent: 'city' },
  { key: 'jj', name: '市公安局交通警察支队', kind: 'department', subKind: 'agency', parent: 'city' },
  { key: 'scj', name: '市市场监督管理局', kind: 'department', subKind: 'agency', parent: 'city' },
  { key: 'wlj', name: '市文化广电和旅游局', kind: 'department', subKind: 'agency', parent: 'city' },
  { key: 'mzj', name: '市民政局', kind: 'department', subKind: 'agency', parent: 'city' },
  { key: 'sthj', name: '市生态环境局', kind: 'department', subKind: 'agency', parent: 'city' },
  { key: 'swj', name: '市商务局', kind: 'department', subKind: 'agency', parent: 'city' },
  { key: 'ylj', name: '市园林绿化局', kind: 'department', subKind: 'agency', parent: 'city' },
  { key: 'tsw', name: '共青团示范市委员会', kind: 'department', subKind: 'agency', parent: 'city' },
  { key: 'fl', name: '市妇女联合会', kind: 'department', subKind: 'agency', parent: 'city' },
  { key: 'zwzx', name: '市政务服务中心', kind: 'unit', subKind: 'window', parent: 'city' },
  { key: 'gjjt', name: '示范市公交集团有限公司', kind: 'unit', subKind: 'enterprise', parent: 'jtj' },
  { key: 'czc', name: '示范市出租汽车有限公司', kind: 'unit', subKind: 'enterprise', parent: 'jtj' },
  { key: 'hcz', name: '示范市火车站', kind: 'unit', subKind: 'window', parent: 'city' },
  { key: 'gsyh', name: '中国工商银行示范分行营业部', kind: 'unit', subKind: 'window', parent: 'city' },
  { key: 'jsyh', name: '中国建设银行示范人民路支行', kind: 'unit', subKind: 'window', parent: 'city' },
  { key: 'gdgs', name: '国网示范供电公司', kind: 'unit', subKind: 'window', parent: 'city' },
  { key: 'yz', name: '示范市第一中学', kind: 'unit', subKind: 'school', parent: 'jyj' },
  { key: 'syxx', name: '示范市实验小学', kind: 'unit', subKind: 'school', parent: 'jyj' },
  { key: 'xhxx', name: '文明区新华小学', kind: 'unit', subKind: 'school', parent: 'wm' },
  { key: 'rmyy', name: '示范市人民医院', kind: 'unit', subKind: 'hospital', parent: 'wjw' },
  { key: 'zyy', name: '示范市中医院', kind: 'unit', subKind: 'hospital', parent: 'wjw' },
  { key: 'hxyy', name: '和谐区妇幼保健院', kind: 'unit', subKind: 'hospital', parent: 'hx' },
  { key: 'ctjt', name: '示范市城市建设投资集团', kind: 'unit', subKind: 'enterprise', parent: 'city' },
  { key: 'wdsc', name: '示范万达广场', kind: 'unit', subKind: 'enterprise', parent: 'wm' },
  { key: 'wm_cgj', name: '文明区城市管理局', kind: 'department', subKind: 'agency', parent: 'wm' },
  { key: 'hx_cgj', name: '和谐区城市管理局', kind: 'department', subKind: 'agency', parent: 'hx' },
  { key: 'wm_wmb', name: '文明区文明办', kind: 'department', subKind: 'agency', parent: 'wm' },
  { key: 'hx_wmb', name: '和谐区文明办', kind: 'department', subKind: 'agency', parent: 'hx' },
  { key: 'xh_wyh', name: '新华街道综合执法队', kind: 'unit', subKind: 'agency', parent: 'xh' },
];

/** Which units answer for a point type; 'street' and 'community' mean the point's own area. */
export const TYPE_UNITS: Record<string, string[]> = {
  新时代文明实践中心: ['xcb', 'community'],
  政务大厅: ['zwzx'],
  银行网点: ['gsyh', 'jsyh'],
  窗口单位: ['hcz', 'gdgs'],
  公交站点: ['gjjt', 'jtj'],
  公交车: ['gjjt'],
  出租车: ['czc', 'jtj'],
  室外公共厕所: ['cgj', 'street'],
  公共广场: ['cgj', 'street'],
  宾馆酒店: ['wlj'],
  公园: ['ylj'],
  社区: ['community'],
  建筑工地: ['zjj', 'ctjt'],
  景区景点: ['wlj'],
  中小学校: ['jyj'],
  商场超市: ['swj', 'scj'],
  医院: ['wjw'],
  公共文化设施: ['wlj'],
  主要交通路口: ['jj'],
  背街小巷: ['street'],
  商业大街: ['swj', 'street'],
  主次干道: ['cgj', 'street'],
  城乡接合部: ['street'],
  集贸市场: ['scj'],
  小区: ['community'],
  乡镇: ['street'],
};

/** Names per type; each is placed in a community in turn. */
export const POINT_NAMES: Record<string, string[]> = {
  新时代文明实践中心: ['文明区新时代文明实践中心', '和谐区新时代文明实践中心', '新华街道新时代文明实践所'],
  政务大厅: ['市民之家政务服务大厅', '文明区政务服务中心', '和谐区政务服务中心'],
  银行网点: ['工商银行人民路支行', '建设银行新华路网点', '农业银行幸福路支行', '邮储银行友谊大道网点'],
  窗口单位: ['示范火车站售票厅', '供电营业厅（建设路）', '不动产登记中心', '出入境接待大厅'],
  公交站点: ['人民广场公交站', '新华路口公交站', '火车站公交枢纽', '幸福里公交站'],
  公交车: ['1路公交车', '16路公交车', '32路公交车'],
  出租车: ['示范出租 豫A·T1234', '示范出租 豫A·T5678', '示范出租 豫A·T9012'],
  室外公共厕所: ['人民公园北门公厕', '建设路公厕', '和平广场公厕', '春风路公厕'],
  公共广场: ['人民广场', '和平广场', '市民文化广场'],
  宾馆酒店: ['示范国际饭店', '和谐大酒店', '友谊宾馆'],
  公园: ['人民公园', '滨河公园', '紫荆山公园'],
  社区: ['朝阳社区党群服务中心', '光明社区党群服务中心', '和平社区党群服务中心'],
  建筑工地: ['地铁3号线建设路站工地', '滨河新城安置房项目工地', '市体育中心改造工地'],
  景区景点: ['古城墙遗址公园', '黄河文化博物馆景区', '商城遗址景区'],
  中小学校: ['示范市第一中学', '示范市实验小学', '文明区新华小学'],
  商场超市: ['示范万达广场', '丹尼斯百货人民路店', '永辉超市幸福路店'],
  医院: ['示范市人民医院', '示范市中医院', '和谐区妇幼保健院'],
  公共文化设施: ['示范市图书馆', '示范市博物馆', '文明区文化馆'],
  主要交通路口: ['人民路与新华路交叉口', '建设路与解放路交叉口', '幸福大道与友谊路交叉口', '滨河路与春风路交叉口'],
  背街小巷: ['光明里', '解放西巷', '团结胡同', '振兴后街'],
  商业大街: ['新华路步行街', '德化街', '二七路商业街'],
  主次干道: ['人民路', '建设路', '幸福大道', '友谊大道'],
  城乡接合部: ['振兴村城乡接合片区', '春风村城乡接合片区', '解放村城乡接合片区'],
  集贸市场: ['光明农贸市场', '和平菜市场', '春风综合市场'],
  小区: ['朝阳花园小区', '建设新村', '和平家园', '春风里小区'],
  乡镇: ['和谐区东风镇', '文明区红旗镇', '和谐区新城镇'],
};

export const ROAD_NAMES = ['人民路', '新华路', '建设路', '解放路', '幸福大道', '友谊大道', '滨河路', '春风路', '和平街', '团结路'];

export const ZONES = [
  { code: 'ZRQ-01', name: '文明区第一责任区（人民路沿线）', owner: 'wm', units: ['cgj', 'jtj', 'jj'], lead: 'cgj' },
  { code: 'ZRQ-02', name: '文明区第二责任区（新华商圈）', owner: 'wm', units: ['swj', 'scj'], lead: 'swj' },
  { code: 'ZRQ-03', name: '和谐区第一责任区（幸福大道沿线）', owner: 'hx', units: ['zjj', 'ylj'], lead: 'zjj' },
  { code: 'ZRQ-04', name: '和谐区第二责任区（滨河片区）', owner: 'hx', units: ['sthj', 'wlj', 'ctjt'], lead: 'sthj' },
];

/** 包保: city departments sponsor communities (包社区). */
export const COMMUNITY_SPONSORS: [string, string][] = [
  ['jyj', 'cy'], ['wjw', 'gm'], ['zjj', 'js'], ['cgj', 'jf'], ['jtj', 'hp'], ['scj', 'tj'], ['wlj', 'zx'], ['mzj', 'cf'],
];

export const DEMO_USERS = [
  { username: 'admin', name: '王建国', role: 'city_admin', unit: 'city', phone: '13800000001' },
  { username: 'qu_admin', name: '李文明', role: 'district_admin', unit: 'wm', phone: '13800000002' },
  { username: 'danwei', name: '张卫东', role: 'unit_contact', unit: 'cgj', phone: '13800000003' },
  { username: 'ducha', name: '赵督查', role: 'inspector', unit: 'cwb_dc', phone: '13800000004' },
  { username: 'wangge', name: '刘网格', role: 'grid_worker', unit: 'cy', phone: '13800000005' },
  { username: 'jiandu', name: '陈监督', role: 'supervisor', unit: 'cwb_jd', phone: '13800000006' },
] as const;
