import { defineStrings } from '../../i18n/i18n.tsx';

/** Strings of the Settings page. Language names are written in their own language in both tables. */
export const settingsStrings = defineStrings(
  {
    title: 'Settings',
    saving: 'Saving…',
    savedOnServer: 'Saved on the server',
    overriddenNote:
      'Set by a command-line flag, an environment variable or the config file, which win over what is saved here: a change here takes effect only once that setting is removed there.',

    appearanceTitle: 'Language and theme',
    appearanceBody:
      'Applied at once in this browser and saved on the server, so browsers that have not chosen their own follow it.',
    language: 'Language',
    languageEn: 'English',
    languageZh: '简体中文',
    theme: 'Theme',
    themeLight: 'Light',
    themeDark: 'Dark',
    themeSystem: 'System',
    themeSystemHint: '“System” follows the light or dark setting of your computer.',

    refreshTitle: 'Refresh intervals',
    refreshBody: 'How often Better Manager asks Google for the remaining quota of every account.',
    autoRefresh: 'Refresh quotas automatically',
    autoRefreshOff: 'Off: quotas refresh only when you ask for it on the Accounts page.',
    intervalMinutes: 'Every (minutes)',
    intervalHint: '1 to {max} minutes.',
    concurrency: 'Accounts refreshed at the same time',
    concurrencyHint: '1 to {max}. Higher is faster with many accounts; lower is gentler on the network.',
    outOfRange: 'Enter a whole number from {min} to {max}.',
    saveChanges: 'Save changes',
    discardChanges: 'Discard',

    passwordTitle: 'Admin password',
    passwordNone:
      'No admin password is set: anyone who can reach this port on this computer can use the dashboard and the admin API. Set one to require signing in.',
    passwordIsSet: 'An admin password is set: the dashboard asks for it, and the admin API needs it.',
    passwordFromConfig:
      'The admin password comes from the BETTER_MANAGER_ADMIN_PASSWORD environment variable or from server.adminPassword in the config file, so it cannot be changed here. Change or remove it there, then restart Better Manager.',
    currentPassword: 'Current password',
    newPassword: 'New password',
    repeatPassword: 'Repeat the new password',
    passwordRules: 'At least {min} characters.',
    passwordTooShort: 'The new password must have at least {min} characters.',
    passwordMismatch: 'The two new passwords are not the same.',
    currentRequired: 'Enter the current password.',
    setPassword: 'Set password',
    settingPassword: 'Setting…',
    changePassword: 'Change password',
    changingPassword: 'Changing…',
    removePassword: 'Remove password',
    removePasswordTitle: 'Remove the admin password?',
    removePasswordBody:
      'Without a password, anyone who can reach this port on this computer can use the dashboard. Enter the current password to confirm.',
    passwordSetDone: 'Password set. From now on the dashboard asks for it.',
    passwordChangedDone: 'Password changed. Other signed-in browsers have to sign in again.',
    passwordRemovedDone: 'Password removed. The dashboard no longer asks for one.',
    currentWrong: 'The current password is wrong.',
    passwordTooManyAttempts: 'Too many wrong passwords. Wait a minute, then try again.',
    passwordRequiredRemote:
      'Better Manager listens on an address other computers can reach, so it must keep an admin password: change it instead, or make it listen on 127.0.0.1 first.',
    passwordUnsupported:
      'This server cannot change the admin password from the dashboard (it does not know PUT /api/auth/password). Set server.adminPassword in the config file instead.',

    dataTitle: 'Data folder',
    dataBody:
      'Accounts, settings, API keys and the request log are kept here. Back up this folder to keep them; keep it private, it holds the refresh tokens.',
    dataDemoBody: 'Demo mode keeps its data in a temporary folder that never touches your real data folder.',
    dataDir: 'Data folder',
    configFile: 'Config file',
    copyPath: 'Copy path',

    aboutTitle: 'About',
    version: 'Version',
    listenAddress: 'Dashboard and proxy address',
    mode: 'Mode',
    modeDemoMark: 'Demo',
    modeDemo: 'simulated accounts and upstream',
    modeNormal: 'Normal',
  },
  {
    title: '设置',
    saving: '正在保存…',
    savedOnServer: '已保存到服务器',
    overriddenNote:
      '此项由命令行参数、环境变量或配置文件设置，它们优先于此处保存的值：只有在那里移除该设置后，此处的更改才会生效。',

    appearanceTitle: '语言和主题',
    appearanceBody: '立即应用于此浏览器并保存到服务器，未自行选择的浏览器将跟随此设置。',
    language: '语言',
    languageEn: 'English',
    languageZh: '简体中文',
    theme: '主题',
    themeLight: '浅色',
    themeDark: '深色',
    themeSystem: '跟随系统',
    themeSystemHint: '“跟随系统”会使用电脑的浅色或深色设置。',

    refreshTitle: '刷新间隔',
    refreshBody: 'Better Manager 向 Google 查询每个账号剩余配额的频率。',
    autoRefresh: '自动刷新配额',
    autoRefreshOff: '已关闭：只有在账号页手动刷新时才会刷新配额。',
    intervalMinutes: '间隔（分钟）',
    intervalHint: '1 到 {max} 分钟。',
    concurrency: '同时刷新的账号数',
    concurrencyHint: '1 到 {max}。账号多时调高更快；调低对网络更温和。',
    outOfRange: '请输入 {min} 到 {max} 之间的整数。',
    saveChanges: '保存更改',
    discardChanges: '放弃',

    passwordTitle: '管理员密码',
    passwordNone:
      '未设置管理员密码：能访问此电脑上该端口的任何人都可以使用仪表盘和管理 API。设置密码后需要登录。',
    passwordIsSet: '已设置管理员密码：仪表盘会要求输入，管理 API 也需要它。',
    passwordFromConfig:
      '管理员密码来自环境变量 BETTER_MANAGER_ADMIN_PASSWORD 或配置文件中的 server.adminPassword，因此无法在此更改。请在那里修改或移除，然后重启 Better Manager。',
    currentPassword: '当前密码',
    newPassword: '新密码',
    repeatPassword: '再次输入新密码',
    passwordRules: '至少 {min} 个字符。',
    passwordTooShort: '新密码至少需要 {min} 个字符。',
    passwordMismatch: '两次输入的新密码不一致。',
    currentRequired: '请输入当前密码。',
    setPassword: '设置密码',
    settingPassword: '正在设置…',
    changePassword: '修改密码',
    changingPassword: '正在修改…',
    removePassword: '移除密码',
    removePasswordTitle: '移除管理员密码？',
    removePasswordBody: '没有密码时，能访问此电脑上该端口的任何人都可以使用仪表盘。请输入当前密码以确认。',
    passwordSetDone: '密码已设置。此后仪表盘会要求输入密码。',
    passwordChangedDone: '密码已修改。其他已登录的浏览器需要重新登录。',
    passwordRemovedDone: '密码已移除。仪表盘不再要求输入密码。',
    currentWrong: '当前密码错误。',
    passwordTooManyAttempts: '密码错误次数过多，请等待一分钟后再试。',
    passwordRequiredRemote:
      'Better Manager 监听的地址可被其他电脑访问，因此必须保留管理员密码：请改为修改密码，或先让它监听 127.0.0.1。',
    passwordUnsupported:
      '此服务器无法从仪表盘修改管理员密码（不支持 PUT /api/auth/password）。请改为在配置文件中设置 server.adminPassword。',

    dataTitle: '数据文件夹',
    dataBody:
      '账号、设置、API 密钥和请求日志都保存在这里。备份此文件夹即可保留它们；请妥善保管，其中包含刷新令牌。',
    dataDemoBody: '演示模式的数据保存在临时文件夹中，不会影响你的真实数据文件夹。',
    dataDir: '数据文件夹',
    configFile: '配置文件',
    copyPath: '复制路径',

    aboutTitle: '关于',
    version: '版本',
    listenAddress: '仪表盘和代理地址',
    mode: '模式',
    modeDemoMark: '演示',
    modeDemo: '账号和上游均为模拟',
    modeNormal: '正常',
  },
);
