/**
 * Vietnam's 63 provinces and centrally run cities, keyed by the three-digit code used in CCCD
 * numbers (digits 1-3, the province of birth registration). Populations are the 2019 census
 * figures in thousands, rounded: good enough to weight synthetic data, not for statistics.
 */
export interface Province {
  /** Three-digit code, as in the CCCD number and `reference/vn-provinces.csv`. */
  readonly code: string
  /** Vietnamese name, NFC, as the reference table spells it. */
  readonly nameVi: string
  /** English name, without diacritics. */
  readonly nameEn: string
  /** Population in thousands (2019 census, rounded). */
  readonly population: number
}

// code, Vietnamese name, English name, population (thousands)
const ROWS: ReadonlyArray<readonly [string, string, string, number]> = [
  ['001', 'Hà Nội', 'Hanoi', 8054],
  ['002', 'Hà Giang', 'Ha Giang', 855],
  ['004', 'Cao Bằng', 'Cao Bang', 530],
  ['006', 'Bắc Kạn', 'Bac Kan', 314],
  ['008', 'Tuyên Quang', 'Tuyen Quang', 785],
  ['010', 'Lào Cai', 'Lao Cai', 731],
  ['011', 'Điện Biên', 'Dien Bien', 599],
  ['012', 'Lai Châu', 'Lai Chau', 460],
  ['014', 'Sơn La', 'Son La', 1249],
  ['015', 'Yên Bái', 'Yen Bai', 822],
  ['017', 'Hòa Bình', 'Hoa Binh', 855],
  ['019', 'Thái Nguyên', 'Thai Nguyen', 1287],
  ['020', 'Lạng Sơn', 'Lang Son', 782],
  ['022', 'Quảng Ninh', 'Quang Ninh', 1321],
  ['024', 'Bắc Giang', 'Bac Giang', 1804],
  ['025', 'Phú Thọ', 'Phu Tho', 1464],
  ['026', 'Vĩnh Phúc', 'Vinh Phuc', 1152],
  ['027', 'Bắc Ninh', 'Bac Ninh', 1369],
  ['030', 'Hải Dương', 'Hai Duong', 1893],
  ['031', 'Hải Phòng', 'Hai Phong', 2029],
  ['033', 'Hưng Yên', 'Hung Yen', 1253],
  ['034', 'Thái Bình', 'Thai Binh', 1861],
  ['035', 'Hà Nam', 'Ha Nam', 853],
  ['036', 'Nam Định', 'Nam Dinh', 1781],
  ['037', 'Ninh Bình', 'Ninh Binh', 983],
  ['038', 'Thanh Hóa', 'Thanh Hoa', 3641],
  ['040', 'Nghệ An', 'Nghe An', 3328],
  ['042', 'Hà Tĩnh', 'Ha Tinh', 1289],
  ['044', 'Quảng Bình', 'Quang Binh', 896],
  ['045', 'Quảng Trị', 'Quang Tri', 633],
  ['046', 'Thừa Thiên Huế', 'Thua Thien Hue', 1129],
  ['048', 'Đà Nẵng', 'Da Nang', 1135],
  ['049', 'Quảng Nam', 'Quang Nam', 1496],
  ['051', 'Quảng Ngãi', 'Quang Ngai', 1232],
  ['052', 'Bình Định', 'Binh Dinh', 1487],
  ['054', 'Phú Yên', 'Phu Yen', 873],
  ['056', 'Khánh Hòa', 'Khanh Hoa', 1232],
  ['058', 'Ninh Thuận', 'Ninh Thuan', 591],
  ['060', 'Bình Thuận', 'Binh Thuan', 1231],
  ['062', 'Kon Tum', 'Kon Tum', 540],
  ['064', 'Gia Lai', 'Gia Lai', 1514],
  ['066', 'Đắk Lắk', 'Dak Lak', 1870],
  ['067', 'Đắk Nông', 'Dak Nong', 623],
  ['068', 'Lâm Đồng', 'Lam Dong', 1297],
  ['070', 'Bình Phước', 'Binh Phuoc', 995],
  ['072', 'Tây Ninh', 'Tay Ninh', 1170],
  ['074', 'Bình Dương', 'Binh Duong', 2456],
  ['075', 'Đồng Nai', 'Dong Nai', 3097],
  ['077', 'Bà Rịa - Vũng Tàu', 'Ba Ria - Vung Tau', 1149],
  ['079', 'Hồ Chí Minh', 'Ho Chi Minh City', 8993],
  ['080', 'Long An', 'Long An', 1689],
  ['082', 'Tiền Giang', 'Tien Giang', 1765],
  ['083', 'Bến Tre', 'Ben Tre', 1289],
  ['084', 'Trà Vinh', 'Tra Vinh', 1010],
  ['086', 'Vĩnh Long', 'Vinh Long', 1023],
  ['087', 'Đồng Tháp', 'Dong Thap', 1600],
  ['089', 'An Giang', 'An Giang', 1908],
  ['091', 'Kiên Giang', 'Kien Giang', 1723],
  ['092', 'Cần Thơ', 'Can Tho', 1236],
  ['093', 'Hậu Giang', 'Hau Giang', 734],
  ['094', 'Sóc Trăng', 'Soc Trang', 1200],
  ['095', 'Bạc Liêu', 'Bac Lieu', 907],
  ['096', 'Cà Mau', 'Ca Mau', 1194],
]

/** The 63 provinces, in code order. */
export const VN_PROVINCES: readonly Province[] = Object.freeze(
  ROWS.map(([code, nameVi, nameEn, population]) =>
    Object.freeze({ code, nameVi: nameVi.normalize('NFC'), nameEn, population }),
  ),
)

const BY_CODE: ReadonlyMap<string, Province> = new Map(VN_PROVINCES.map((p) => [p.code, p]))

/**
 * The province with this three-digit code, or undefined.
 *
 * @example
 * findProvince('079')?.nameEn // 'Ho Chi Minh City'
 */
export function findProvince(code: string): Province | undefined {
  return BY_CODE.get(code)
}

/**
 * True when `code` is one of the 63 province codes.
 *
 * @example
 * isProvinceCode('001') // true
 * isProvinceCode('003') // false
 */
export function isProvinceCode(code: string): boolean {
  return BY_CODE.has(code)
}
