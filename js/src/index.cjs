// CommonJS entry. Node ^20.19 and >= 22.12 load an ES module with require() when its graph
// has no top-level await, so require('mooscomp') returns the ESM entry itself: the same
// functions and the same error classes as `import`. Keep top-level await out of src/.
'use strict';

const esm = require('./index.js');

module.exports = {
  ...esm,
  load: async () => esm, // the API before require() could load ESM; kept for old callers
};
