// Runs the contract suites in file-name order, so 09-rate-limit (which may exhaust the
// account) comes after everything that needs budget.
const Sequencer = require('@jest/test-sequencer').default;

class FileOrderSequencer extends Sequencer {
  sort(tests) {
    return [...tests].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }
}

module.exports = FileOrderSequencer;
