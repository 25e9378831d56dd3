function wordCount(text) {
  throw new Error('TODO');
}
module.exports = { wordCount };
