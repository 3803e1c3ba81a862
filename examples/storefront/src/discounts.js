/**
 * Discount codes and what they take off, in percent.
 */
const CODES = { WELCOME10: 10, SPRING25: 25 };

function discountFor(code) {
  const percent = CODES[code.toUpperCase()];
  if (percent === undefined) {
    throw new Error(`unknown discount code: ${code}`);
  }
  return percent;
}

module.exports = { discountFor };
