import { defineStrings } from '../../i18n/i18n.tsx';

/** Proxy page: the model-mapping editor and its "test a model name" box. */
export const mappingStrings = defineStrings(
  {
    mappingTitle: 'Model mapping',
    mappingBody:
      'Client model names → upstream model ids. Rules are tried from the top and the first match wins; a pattern may use * and ? (gpt-4*, claude-*-sonnet*). Ids the accounts report pass through unchanged.',
    mappingReadOnly:
      'The mapping comes from a flag, environment variable or config file and cannot be edited here.',
    mappingEmpty:
      'No rules: model names reach the upstream as the client sends them. Add a rule to rename one.',
    mappingIncomplete: 'Fill in or delete the empty rules before saving.',
    addRule: 'Add rule',
    rulePattern: 'Rule {n}: client model name or pattern',
    ruleTarget: 'Rule {n}: upstream model id',
    moveUp: 'Move rule {n} up',
    moveDown: 'Move rule {n} down',
    deleteRule: 'Delete rule {n}',
    testLabel: 'Test a model name',
    testButton: 'Test',
    testHint: 'Uses the rules as shown here, saved or not.',
    testIncomplete: 'Fill in or delete the empty rules to test.',
    goesTo: 'goes to',
    matchedRule: 'Matched rule {n}: {rule}',
    noRule: 'No mapping rule matched.',
    unknownUpstream:
      'No account offers {model} right now: requests for this name will fail until an account reports it.',
  },
  {
    mappingTitle: '模型映射',
    mappingBody:
      '客户端模型名 → 上游模型 ID。规则自上而下匹配，首个匹配的规则生效；模式可使用 * 和 ?（gpt-4*、claude-*-sonnet*）。账号报告的模型 ID 原样通过。',
    mappingReadOnly: '模型映射来自命令行参数、环境变量或配置文件，无法在此编辑。',
    mappingEmpty: '没有规则：模型名按客户端发送的原样传给上游。添加规则以重命名模型。',
    mappingIncomplete: '保存前请填写或删除空规则。',
    addRule: '添加规则',
    rulePattern: '规则 {n}：客户端模型名或模式',
    ruleTarget: '规则 {n}：上游模型 ID',
    moveUp: '上移规则 {n}',
    moveDown: '下移规则 {n}',
    deleteRule: '删除规则 {n}',
    testLabel: '测试模型名',
    testButton: '测试',
    testHint: '使用此处显示的规则（无论是否已保存）。',
    testIncomplete: '请先填写或删除空规则再测试。',
    goesTo: '映射到',
    matchedRule: '匹配规则 {n}：{rule}',
    noRule: '没有匹配的映射规则。',
    unknownUpstream: '目前没有账号提供 {model}：在有账号报告该模型之前，使用此名称的请求都会失败。',
  },
);
