// A Jest reporter that writes results.json: counts, and for each failure the named check
// (`[body-schema]`, `[expected-status]`...) that broke, so tools and the project's own
// mutant tests can tell which check caught what.
const { mkdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

class ResultsReporter {
  constructor(_globalConfig, options) {
    this.reportDir = options.reportDir;
  }

  onRunComplete(_contexts, results) {
    const failures = [];
    for (const file of results.testResults) {
      for (const t of file.testResults) {
        if (t.status !== 'failed') continue;
        const message = (t.failureMessages || []).join('\n').replace(/\u001b\[[0-9;]*m/g, '');
        const match = /\[([a-z0-9-]+)\]/.exec(message);
        failures.push({ test: t.fullName, check: match ? match[1] : 'unnamed', message: message.split('\n')[0].slice(0, 500) });
      }
      if (file.testExecError) failures.push({ test: file.testFilePath, check: 'suite-error', message: String(file.testExecError.message).slice(0, 500) });
    }
    mkdirSync(this.reportDir, { recursive: true });
    writeFileSync(
      join(this.reportDir, 'results.json'),
      `${JSON.stringify({ passed: results.numPassedTests, failed: results.numFailedTests, skipped: results.numPendingTests, failures }, null, 2)}\n`,
    );
  }
}

module.exports = ResultsReporter;
