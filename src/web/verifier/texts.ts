import type { Dictionary } from '../shared/i18n.js'

/** Texts of the border verifier. Reasons are keyed by the report's stable error codes. */
export const VERIFIER_TEXTS: Dictionary = {
  title: { vi: 'Kiểm tra chứng nhận tiêm chủng', en: 'Vaccination certificate check' },
  scan: { vi: 'Quét bằng camera', en: 'Scan with camera' },
  stop_scan: { vi: 'Dừng quét', en: 'Stop scanning' },
  open_image: { vi: 'Mở ảnh mã QR', en: 'Open a QR image' },
  paste_label: { vi: 'Hoặc dán nội dung mã QR', en: 'Or paste the QR content' },
  check: { vi: 'Kiểm tra', en: 'Check' },
  scanning: { vi: 'Đưa mã QR vào khung hình…', en: 'Hold the QR code in front of the camera…' },
  camera_error: {
    vi: 'Không mở được camera. Hãy mở ảnh mã QR thay thế.',
    en: 'The camera could not be opened. Open a QR image instead.',
  },
  no_code: { vi: 'Không tìm thấy mã QR trong ảnh.', en: 'No QR code was found in the image.' },
  valid: { vi: 'HỢP LỆ', en: 'VALID' },
  invalid: { vi: 'KHÔNG HỢP LỆ', en: 'NOT VALID' },
  valid_reason: {
    vi: 'Chữ ký hợp lệ, do cơ quan được tin cậy cấp, còn hiệu lực, đáp ứng quy định nhập cảnh Việt Nam.',
    en: "Genuine signature from a trusted issuer, in force, and meets Viet Nam's entry rules.",
  },
  name: { vi: 'Họ và tên', en: 'Name' },
  dob: { vi: 'Ngày sinh', en: 'Date of birth' },
  valid_until: { vi: 'Hiệu lực đến', en: 'Valid until' },
  format: { vi: 'Định dạng', en: 'Format' },
  data_age: {
    vi: 'Danh sách tin cậy cập nhật lúc {when}',
    en: 'Trust list updated {when}',
  },
  data_missing: {
    vi: 'Chưa có danh sách tin cậy. Hãy kết nối mạng một lần.',
    en: 'No trust list yet. Connect to the network once.',
  },
  data_offline: {
    vi: 'Ngoại tuyến: dùng dữ liệu đã lưu.',
    en: 'Offline: using the saved data.',
  },
  keys_count: {
    vi: '{n} khóa ký, {r} chứng nhận bị thu hồi',
    en: '{n} signing keys, {r} revoked certificates',
  },
  // Reasons, by stable error code.
  ERR_INPUT_EMPTY: { vi: 'Không có nội dung để kiểm tra.', en: 'There is nothing to check.' },
  ERR_INPUT_TOO_LARGE: { vi: 'Nội dung quá lớn.', en: 'The content is too large.' },
  ERR_INPUT_FORMAT: {
    vi: 'Đây không phải là mã chứng nhận tiêm chủng.',
    en: 'This is not a vaccination certificate code.',
  },
  ERR_HC1_PREFIX: {
    vi: 'Đây không phải là mã chứng nhận tiêm chủng.',
    en: 'This is not a vaccination certificate code.',
  },
  ERR_BASE45: {
    vi: 'Mã QR bị hỏng hoặc không đọc được.',
    en: 'The code is damaged or unreadable.',
  },
  ERR_ZLIB: { vi: 'Mã QR bị hỏng hoặc không đọc được.', en: 'The code is damaged or unreadable.' },
  ERR_ZLIB_TOO_LARGE: {
    vi: 'Mã QR bị hỏng (quá lớn khi giải nén).',
    en: 'The code is damaged (too large when unpacked).',
  },
  ERR_CBOR: { vi: 'Mã QR bị hỏng hoặc không đọc được.', en: 'The code is damaged or unreadable.' },
  ERR_CBOR_TOO_DEEP: {
    vi: 'Mã QR bị hỏng hoặc không đọc được.',
    en: 'The code is damaged or unreadable.',
  },
  ERR_COSE_STRUCTURE: {
    vi: 'Mã QR bị hỏng hoặc không đọc được.',
    en: 'The code is damaged or unreadable.',
  },
  ERR_CWT_CLAIMS: {
    vi: 'Nội dung chứng nhận không đọc được.',
    en: 'The certificate content is unreadable.',
  },
  ERR_COSE_ALG: {
    vi: 'Thuật toán ký không được chấp nhận.',
    en: 'The signature algorithm is not accepted.',
  },
  ERR_COSE_KID: {
    vi: 'Người ký không có trong danh sách tin cậy.',
    en: 'The signer is not in the trust list.',
  },
  ERR_DSC_UNKNOWN_KID: {
    vi: 'Người ký không có trong danh sách tin cậy.',
    en: 'The signer is not in the trust list.',
  },
  ERR_COSE_SIGNATURE: {
    vi: 'Chữ ký không hợp lệ: chứng nhận đã bị sửa đổi hoặc giả mạo.',
    en: 'The signature is not valid: the certificate was altered or forged.',
  },
  ERR_CERT_EXPIRED: { vi: 'Chứng nhận đã hết hạn.', en: 'The certificate has expired.' },
  ERR_CWT_NOT_YET_VALID: {
    vi: 'Chứng nhận chưa có hiệu lực.',
    en: 'The certificate is not valid yet.',
  },
  ERR_DSC_VALIDITY: {
    vi: 'Khóa ký không còn hiệu lực vào thời điểm này.',
    en: 'The signing key is not valid at this time.',
  },
  ERR_DSC_KEY_USAGE: {
    vi: 'Khóa ký không được phép ký loại chứng nhận này.',
    en: 'The signing key may not sign this kind of certificate.',
  },
  ERR_DCC_SCHEMA: {
    vi: 'Nội dung không đúng định dạng EU DCC.',
    en: 'The content does not follow the EU DCC format.',
  },
  ERR_DCC_MISSING: { vi: 'Thiếu nội dung chứng nhận.', en: 'The certificate content is missing.' },
  ERR_DCC_TYPE: { vi: 'Loại chứng nhận không hợp lệ.', en: 'The certificate type is not valid.' },
  ERR_DCC_VALUE_SET: { vi: 'Mã giá trị không hợp lệ.', en: 'A coded value is not valid.' },
  ERR_REVOKED: { vi: 'Chứng nhận đã bị thu hồi.', en: 'The certificate has been revoked.' },
  ERR_SHC_REVOKED: { vi: 'Chứng nhận đã bị thu hồi.', en: 'The certificate has been revoked.' },
  ERR_UNTRUSTED: { vi: 'Cơ quan cấp không được tin cậy.', en: 'The issuer is not trusted.' },
  ERR_SHC: { vi: 'Thẻ SMART Health Card không hợp lệ.', en: 'The SMART Health Card is not valid.' },
  ERR_NZCP: { vi: 'NZ COVID Pass không hợp lệ.', en: 'The NZ COVID Pass is not valid.' },
  ERR_VDS: { vi: 'VDS-NC không hợp lệ.', en: 'The VDS-NC is not valid.' },
  ERR_JWS: { vi: 'Chữ ký JWS không hợp lệ.', en: 'The JWS signature is not valid.' },
  ERR_QR_IMAGE: { vi: 'Không đọc được ảnh.', en: 'The image could not be read.' },
  ERR_QR_NOT_FOUND: {
    vi: 'Không tìm thấy mã QR trong ảnh.',
    en: 'No QR code was found in the image.',
  },
  ERR_QR_TOO_LARGE: { vi: 'Ảnh quá lớn.', en: 'The image is too large.' },
  ERR_RULE_FAILED: {
    vi: 'Chưa đáp ứng quy định nhập cảnh Việt Nam.',
    en: "Viet Nam's entry rules are not met.",
  },
  ERR_RULES: {
    vi: 'Không có quy định nhập cảnh nào đang có hiệu lực để đối chiếu.',
    en: 'No entry rule is in force to check against.',
  },
  ERR_INTERNAL: { vi: 'Lỗi khi kiểm tra. Hãy thử lại.', en: 'The check failed. Try again.' },
}
