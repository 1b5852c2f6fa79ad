import type { LanguageRegistration } from 'shiki';

const SECTIONS = 'global|defaults|frontend|backend|listen|peers|resolvers|userlist|program|mailers|cache|http-errors|ring';
const PARAMETERS = [
  'check',
  'inter',
  'fastinter',
  'downinter',
  'rise',
  'fall',
  'port',
  'addr',
  'backup',
  'disabled',
  'weight',
  'maxconn',
  'on-marked-down',
  'on-marked-up',
  'shutdown-sessions',
  'expect',
  'status',
  'string',
  'rstatus',
  'meth',
  'uri',
  'ver',
  'hdr',
  'send',
  'connect',
  'init-addr',
  'resolvers',
  'ssl',
  'verify',
  'none',
  'if',
  'unless',
];

/**
 * Shiki has no grammar for haproxy.cfg, so this small TextMate grammar colours what matters on
 * a projector: section headers and their names, directives, addresses and ports, numbers with
 * time units, server parameters, strings and comments.
 */
export const haproxyGrammar: LanguageRegistration = {
  name: 'haproxy',
  scopeName: 'source.haproxy',
  aliases: ['haproxy-cfg'],
  patterns: [
    { include: '#comment' },
    {
      match: `^(${SECTIONS})\\b(?:[ \\t]+([^\\s#]+))?`,
      captures: { 1: { name: 'keyword.control.section.haproxy' }, 2: { name: 'entity.name.type.section.haproxy' } },
    },
    {
      match: '^[ \\t]+((?:option|timeout|stats|http-check|tcp-check)[ \\t]+[a-z][\\w-]*|[a-z][\\w.-]*)',
      captures: { 1: { name: 'support.function.directive.haproxy' } },
    },
    { include: '#values' },
  ],
  repository: {
    comment: { match: '(^|[ \\t])#.*$', name: 'comment.line.number-sign.haproxy' },
    values: {
      patterns: [
        { include: '#comment' },
        { match: '"(?:[^"\\\\]|\\\\.)*"', name: 'string.quoted.double.haproxy' },
        { match: "'[^']*'", name: 'string.quoted.single.haproxy' },
        {
          match: '\\*?(?:\\d{1,3}\\.){3}\\d{1,3}(?:/\\d{1,2})?(?::\\d+)?|\\*:\\d+|:\\d+\\b',
          name: 'string.unquoted.address.haproxy',
        },
        { match: '\\b\\d+(?:us|ms|s|m|h|d|k|K|M|G)?\\b', name: 'constant.numeric.haproxy' },
        { match: '(?<=[ \\t])/[\\w./;-]*', name: 'string.unquoted.path.haproxy' },
        { match: `(?<=[ \\t])(?:${PARAMETERS.join('|')})(?=[ \\t]|$)`, name: 'keyword.other.parameter.haproxy' },
      ],
    },
  },
};
