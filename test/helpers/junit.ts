// JUnit XML read by an independent parser (fast-xml-parser, not the mock's writer): checked
// well-formed, free of the characters XML 1.0 forbids, and in the JUnit shape CI systems
// read (testsuites > testsuite > testcase, with failure, skipped or system-out inside).
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export interface JunitCase {
  classname: string;
  name: string;
  failures: Array<{ type: string; message: string; text: string }>;
  skipped: boolean;
  systemOut?: string;
}

export interface JunitSuite {
  name: string;
  tests: number;
  failures: number;
  skipped: number;
  cases: JunitCase[];
}

/** XML 1.0 section 2.2's Char production. */
const XML_CHARS = /^[\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]*$/u;

const list = <T>(x: T | T[] | undefined): T[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);

/** The suites of a JUnit document; throws, naming the problem, when it is not well-formed XML or not JUnit's shape. */
export function readJunit(xml: string): { tests: number; failures: number; skipped: number; suites: JunitSuite[] } {
  if (!XML_CHARS.test(xml)) throw new Error('a character XML 1.0 forbids');
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new Error(`not well-formed: ${JSON.stringify(valid.err)}`);
  const doc = new XMLParser({ htmlEntities: true, ignoreAttributes: false, attributeNamePrefix: '', parseAttributeValue: false, parseTagValue: false, trimValues: false, textNodeName: '#text', isArray: (name) => ['testsuite', 'testcase', 'failure'].includes(name) }).parse(xml);
  const root = doc.testsuites;
  if (!root || typeof root !== 'object') throw new Error('no <testsuites> root');
  const text = (node: unknown) => (typeof node === 'string' ? node : ((node as { '#text'?: string } | undefined)?.['#text'] ?? ''));
  const suites = list(root.testsuite as Array<Record<string, any>>).map((s) => {
    const cases = list(s.testcase as Array<Record<string, any>> | undefined).map((c) => {
      if (typeof c.classname !== 'string' || typeof c.name !== 'string') throw new Error('a <testcase> without classname or name');
      return {
        classname: c.classname,
        name: c.name,
        failures: list(c.failure as Array<Record<string, any>> | undefined).map((f) => ({ type: f.type, message: f.message, text: text(f) })),
        skipped: c.skipped !== undefined,
        systemOut: c['system-out'] === undefined ? undefined : text(c['system-out']),
      };
    });
    const suite = { name: String(s.name), tests: Number(s.tests), failures: Number(s.failures), skipped: Number(s.skipped), cases };
    // The counts a CI system shows are the elements inside.
    if (suite.tests !== cases.length || suite.failures !== cases.filter((c) => c.failures.length > 0).length || suite.skipped !== cases.filter((c) => c.skipped).length) {
      throw new Error(`testsuite ${suite.name}: its counts disagree with its testcases`);
    }
    return suite;
  });
  const sum = (f: (s: JunitSuite) => number) => suites.reduce((n, s) => n + f(s), 0);
  const totals = { tests: Number(root.tests), failures: Number(root.failures), skipped: Number(root.skipped) };
  if (totals.tests !== sum((s) => s.tests) || totals.failures !== sum((s) => s.failures) || totals.skipped !== sum((s) => s.skipped)) throw new Error('testsuites: its counts disagree with its suites');
  return { ...totals, suites };
}
