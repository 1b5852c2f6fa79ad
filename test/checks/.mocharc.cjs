// The chapters' checks for VS Code's Testing view. "Mocha for VS Code" (coderline.mocha-vscode)
// makes one test tree per .mocharc file, from the files its spec selects; checks/.mocharc.json
// has no spec on purpose (`npm run check 7` names the files it wants, and mocha adds a spec to
// them). So this is checks/.mocharc.json plus a spec, relative to where mocha runs: the Testing
// view runs it from this folder, a terminal from anywhere. Listing the checks touches no machine;
// running them needs root and a lab that is up, like `npm run check`.
const path = require('node:path');
const checks = require('../../checks/.mocharc.json');

const dir =
  path
    .relative(process.cwd(), path.join(__dirname, '..', '..', 'checks'))
    .split(path.sep)
    .join('/') || '.';

module.exports = { ...checks, spec: [`${dir}/*.check.ts`] };
