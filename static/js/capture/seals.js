// @ts-check
// Seal codes on the phone: the twin of fieldapp/seals/codes.py (tests/capture/test_seal_codes.py
// runs both on the same codes). A code is SE-{office}-{serial:06d}-{check}, where check is the
// ISO 7064 MOD 37,36 check character of office + serial (python-stdnum's mod_37_36). The QR
// label encodes exactly that string; what is typed is upper-cased and stripped of spaces first.

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const MODULUS = ALPHABET.length; // 36: the hybrid system MOD 37,36
const SERIAL_DIGITS = 6;
// ASCII digits only: the server's \d also matches other scripts' digits, a code no label carries.
const CODE = /^SE-([0-9A-Z]+?)-([0-9]{6})-([0-9A-Z])$/;

/** What the executor typed or the camera read, as the code to check. */
export function normaliseSeal(text) {
  return String(text ?? "").replace(/\s+/g, "").toUpperCase();
}

/** stdnum.iso7064.mod_37_36.calc_check_digit of `digits` (characters of ALPHABET). */
function mod3736(digits) {
  let check = MODULUS / 2;
  for (const ch of digits) {
    const value = ALPHABET.indexOf(ch);
    if (value < 0) throw new RangeError(`not a MOD 37,36 character: ${ch}`);
    check = ((((check || MODULUS) * 2) % (MODULUS + 1)) + value) % MODULUS;
  }
  return ALPHABET[(1 - (((check || MODULUS) * 2) % (MODULUS + 1)) + MODULUS) % MODULUS];
}

/** The check character of a label of office `officeCode` and serial `serial`. */
export function sealCheckCharacter(officeCode, serial) {
  return mod3736(`${String(officeCode).toUpperCase()}${String(serial).padStart(SERIAL_DIGITS, "0")}`);
}

/** {code, office_code, serial} of a well-formed code with the right check character, else null
 * (codes.py parse). */
export function parseSeal(text) {
  const code = normaliseSeal(text);
  const match = CODE.exec(code);
  if (!match) return null;
  const [, office, serialText, check] = match;
  const serial = Number(serialText);
  if (serial < 1 || sealCheckCharacter(office, serial) !== check) return null;
  return { code, office_code: office, serial };
}
