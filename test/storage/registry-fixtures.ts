/** Shared fixtures of the registry storage suites (fixed clock, a small register, dose rows). */
export const NOW = new Date('2022-03-01T00:00:00Z')
export const now = (): Date => NOW

export const REGISTER_HEADER = 'cccd,full_name,dob,sex,province_code,phone,email'
export const DOSE_HEADER = 'cccd,full_name,dob,sex,product,lot,date,dose_number,site_code'

export const REGISTER_ROWS = [
  '001085000001,Nguyễn Văn An,1985-03-02,M,001,0912345678,',
  '001190000002,Trần Thị Bình,1990-05-06,F,001,,binh@example.vn',
  '079085000003,Lê Văn Cường,1985-01-01,M,079,,',
  '001095000004,Phạm Minh Đức,1995-07-07,M,001,,',
  '001080000005,Hoàng Văn Em,1980-01-01,M,001,,',
  '002080000006,Hoàng Văn Em,1980-01-01,M,002,,',
  '001188000007,Vũ Thị Hoa,1988-02-02,F,001,,',
  '001070000008,Đỗ Văn Giang,1970,M,001,,',
]

const P = 'EU/1/20/1528'

/** Good dose rows and the link status each must get. */
export const GOOD_DOSES: ReadonlyArray<readonly [string, string]> = [
  [`001085000001,NGUYEN VAN AN,1985-03-02,M,${P},FK1,2021-08-01,1,001-BVBM`, 'linked'],
  [`001190000002,Trần Thị Bình,1990-05-06,F,${P},FK1,2021-08-02,1,001-BVE`, 'linked'],
  [`079085000003,Lê Văn Cường Anh,1985-01-01,M,${P},FK2,2021-08-03,1,079-BVDK`, 'name_differs'],
  [`001095000004,Phạm Minh Đức,1995-07-08,M,${P},FK2,2021-08-04,1,001-BVK`, 'dob_differs'],
  [`001188000007,Vũ Thị Hoa,1988-02-02,M,${P},FK3,2021-08-05,1,001-CDC`, 'sex_differs'],
  [`,Hoàng Văn Em,1980-01-01,M,${P},FK3,2021-08-06,1,001-TTYT01`, 'ambiguous'],
  [`12345,Ai Đó,1980-01-01,M,${P},FK3,2021-08-06,1,001-TTYT01`, 'id_malformed'],
  [`001085999999,Không Có,1985-01-01,M,${P},FK3,2021-08-06,1,001-TTYT01`, 'not_found'],
  [`001070000008,Đỗ Văn Giang,1970-04-04,M,${P},FK3,2021-08-06,1,001-TTYT01`, 'linked'],
  // SQL in fields is stored as text and nothing else.
  [`001085999998,"Robert'); DROP TABLE dose_records;--",1985-01-01,M,${P},"1; DELETE FROM audit_log",2021-08-07,1,001-BVBM`, 'not_found'],
  // Dose 2 of the first person, after dose 1: in order.
  [`001085000001,Nguyễn Văn An,1985-03-02,M,${P},FK9,2021-09-01,2,001-BVBM`, 'linked'],
]

/** Bad dose rows (text, or bytes for encodings) and the reason each must be rejected with. */
export const BAD_DOSES: ReadonlyArray<readonly [string | Buffer, string]> = [
  [`001085000001,Nguyễn Văn An,1985-03-02,M,${P},FK1,2021-08-01,1`, 'column_count'],
  [`001085000001,Nguyễn Văn An,1985-03-02,M,${P},FK1,2021-08-01,1,001-BVBM,extra`, 'column_count'],
  [
    Buffer.concat([
      Buffer.from('001085000011,Nguy'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from(`n,1985-03-02,M,${P},FK1,2021-08-01,1,001-BVBM`),
    ]),
    'encoding',
  ],
  [`001085000012,Nguyễn Văn B,1985-03-02,M,${P},FK1,2021-02-30,1,001-BVBM`, 'date_invalid'],
  [`001085000013,Nguyễn Văn C,1985-03-02,M,${P},FK1,2021-8-01,1,001-BVBM`, 'date_invalid'],
  [`001085000014,Nguyễn Văn D,1985-03-02,M,${P},FK1,2020-12-01,1,001-BVBM`, 'date_out_of_range'],
  [`001085000015,Nguyễn Văn E,1985-03-02,M,${P},FK1,2023-01-01,1,001-BVBM`, 'date_out_of_range'],
  [`001085000016,Nguyễn Văn F,1985-03-02,M,Pfizer,FK1,2021-08-01,1,001-BVBM`, 'product_unknown'],
  [`001085000017,Nguyễn Văn G,1985-03-02,M,${P},FK1,2021-08-01,1,XXX-NOPE`, 'site_unknown'],
  [`001085000018,Nguyễn Văn H,1985-03-02,M,${P},FK1,2021-08-01,0,001-BVBM`, 'dose_number_invalid'],
  [`001085000019,Nguyễn Văn I,1985-03-02,M,${P},FK1,2021-08-01,two,001-BVBM`, 'dose_number_invalid'],
  [`001085000020,Nguyễn Văn K,1985-03-02,X,${P},FK1,2021-08-01,1,001-BVBM`, 'sex_invalid'],
  [`001085000021,Nguyễn Văn L,1985-13-02,M,${P},FK1,2021-08-01,1,001-BVBM`, 'dob_invalid'],
  [`001085000022,,1985-03-02,M,${P},FK1,2021-08-01,1,001-BVBM`, 'name_missing'],
  [`001085000023,Nguyễn Văn M,1985-03-02,M,${P},,2021-08-01,1,001-BVBM`, 'lot_invalid'],
  [`001085000024,"Nguyễn" Văn,1985-03-02,M,${P},FK1,2021-08-01,1,001-BVBM`, 'quote'],
  [`001085000025,${'A'.repeat(1500)},1985-03-02,M,${P},FK1,2021-08-01,1,001-BVBM`, 'field_too_long'],
  [`001085000026,${'B'.repeat(20_000)},1985-03-02,M,${P},FK1,2021-08-01,1,001-BVBM`, 'line_too_long'],
  // Dose 3 of the first person dated before their dose 2: out of order.
  [`001085000001,Nguyễn Văn An,1985-03-02,M,${P},FK9,2021-08-15,3,001-BVBM`, 'dose_out_of_order'],
  // Dose 1 of the first person again on another date: a conflict, not a duplicate.
  [`001085000001,Nguyễn Văn An,1985-03-02,M,${P},FK9,2021-07-15,1,001-BVBM`, 'dose_number_conflict'],
]

/** Builds a dose file: BOM, CRLF line ends, a blank line, good rows, bad rows, one duplicate. */
export function buildDoseFile(): { bytes: Buffer; good: number; bad: number; duplicates: number } {
  const parts: Buffer[] = [Buffer.from('\uFEFF' + DOSE_HEADER + '\r\n')]
  for (const [row] of GOOD_DOSES) parts.push(Buffer.from(row + '\r\n'))
  parts.push(Buffer.from('\r\n'))
  for (const [row] of BAD_DOSES) {
    parts.push(typeof row === 'string' ? Buffer.from(row + '\r\n') : Buffer.concat([row, Buffer.from('\r\n')]))
  }
  // The second good row again, in the same file.
  parts.push(Buffer.from((GOOD_DOSES[1] as readonly [string, string])[0] + '\r\n'))
  return { bytes: Buffer.concat(parts), good: GOOD_DOSES.length, bad: BAD_DOSES.length, duplicates: 1 }
}

/** The register snapshot file (LF line ends, no BOM) plus one bad row. */
export function buildRegisterFile(): Buffer {
  return Buffer.from(
    [REGISTER_HEADER, ...REGISTER_ROWS, '12345,Sai Số,1980,M,001,,', ''].join('\n'),
  )
}
