/** A vaccine used in Vietnam's programme, with its EU DCC encoding. */
export interface VietnamVaccine {
  /** Short key, stable, for records and CSV imports. */
  readonly key: string
  /** `v[0].mp` value-set code. */
  readonly mp: string
  /** `v[0].ma` value-set code. */
  readonly ma: string
  /** Allowed `v[0].vp` codes, the first being the one we issue. */
  readonly vp: readonly string[]
  /** Doses in a full primary series (`sd` for a primary course). */
  readonly seriesDoses: number
  readonly nameEn: string
  readonly nameVi: string
}

/**
 * The nine vaccines used in Vietnam (MISSION.md "Facts"). `vp` lists follow the eHealth Network's
 * vaccine encoding instructions; the specific code comes first because issuance picks `vp[0]`.
 * vaccine-encoding.test.ts checks each entry against ../shared/reference/eu-dcc-valuesets.
 */
export const VIETNAM_VACCINES: readonly VietnamVaccine[] = Object.freeze([
  {
    key: 'comirnaty',
    mp: 'EU/1/20/1528',
    ma: 'ORG-100030215',
    vp: ['1119349007', '28531000087107'],
    seriesDoses: 2,
    nameEn: 'Comirnaty (Pfizer-BioNTech)',
    nameVi: 'Vắc xin Comirnaty (Pfizer-BioNTech)',
  },
  {
    key: 'spikevax',
    mp: 'EU/1/20/1507',
    ma: 'ORG-100031184',
    vp: ['1119349007', '28531000087107'],
    seriesDoses: 2,
    nameEn: 'Spikevax (Moderna)',
    nameVi: 'Vắc xin Spikevax (Moderna)',
  },
  {
    key: 'vaxzevria',
    mp: 'EU/1/21/1529',
    ma: 'ORG-100001699',
    vp: ['29061000087103', '28531000087107'],
    seriesDoses: 2,
    nameEn: 'Vaxzevria (AstraZeneca)',
    nameVi: 'Vắc xin Vaxzevria (AstraZeneca)',
  },
  {
    key: 'janssen',
    mp: 'EU/1/20/1525',
    ma: 'ORG-100001417',
    vp: ['29061000087103', '28531000087107'],
    seriesDoses: 1,
    nameEn: 'Jcovden (Janssen)',
    nameVi: 'Vắc xin Jcovden (Janssen)',
  },
  {
    key: 'sputnik-v',
    mp: 'Sputnik-V',
    ma: 'Gamaleya-Research-Institute',
    vp: ['29061000087103', '28531000087107'],
    seriesDoses: 2,
    nameEn: 'Sputnik V (Gamaleya)',
    nameVi: 'Vắc xin Sputnik V (Gamaleya)',
  },
  {
    key: 'sinopharm',
    mp: 'BBIBP-CorV',
    ma: 'ORG-100020693',
    vp: ['1157024006', '28531000087107'],
    seriesDoses: 2,
    nameEn: 'Sinopharm BBIBP-CorV (Vero Cell)',
    nameVi: 'Vắc xin Vero Cell (Sinopharm)',
  },
  {
    key: 'hayat-vax',
    mp: 'Hayat-Vax',
    ma: 'ORG-100023050',
    vp: ['1157024006', '28531000087107'],
    seriesDoses: 2,
    nameEn: 'Hayat-Vax (Gulf Pharmaceutical Industries)',
    nameVi: 'Vắc xin Hayat-Vax',
  },
  {
    key: 'abdala',
    mp: 'Abdala',
    ma: 'CIGB',
    vp: ['28531000087107'],
    seriesDoses: 3,
    nameEn: 'Abdala (CIGB, Cuba)',
    nameVi: 'Vắc xin Abdala (Cuba)',
  },
  {
    key: 'covaxin',
    mp: 'Covaxin',
    ma: 'Bharat-Biotech',
    vp: ['1157024006', '28531000087107'],
    seriesDoses: 2,
    nameEn: 'Covaxin (Bharat Biotech)',
    nameVi: 'Vắc xin Covaxin (Bharat Biotech)',
  },
] as const)
