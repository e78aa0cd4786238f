const { relative } = require('node:path');

const SLOWEST_SHOWN = 10;

// Prints the run's slowest spec files, so CI logs show where the time goes, and one closing line,
// "N passed, N failed", that tools reading CI logs recognise.
class SummaryReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
  }

  onRunComplete(_contexts, results) {
    const slowest = results.testResults
      .map((file) => ({ path: relative(this.rootDir, file.testFilePath), seconds: (file.perfStats.end - file.perfStats.start) / 1000 }))
      .sort((a, b) => b.seconds - a.seconds)
      .slice(0, SLOWEST_SHOWN);
    if (slowest.length > 1) {
      process.stdout.write(`\nSlowest ${slowest.length} spec files:\n`);
      for (const file of slowest) process.stdout.write(`${file.seconds.toFixed(1).padStart(8)} s  ${file.path}\n`);
    }
    const skipped = results.numPendingTests + results.numTodoTests;
    process.stdout.write(`\nTests: ${results.numPassedTests} passed, ${results.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
  }
}
module.exports = SummaryReporter;
