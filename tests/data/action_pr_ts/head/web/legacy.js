'use strict';

function parseSku(text) {
  const [family, number] = text.split('-');
  return { family, number: Number(number) };
}

module.exports = {
  parseSku,
  isSku(text) {
    return /^[A-Z]+-\d+$/.test(text);
  },
};
