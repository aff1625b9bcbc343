// Which `ma` and `vp` go with each `mp`, per the eHealth Network's vaccine encoding instructions
// (checked by vaccine-encoding.test.ts against ../shared/reference/eu-dcc-valuesets).

/** The encoding rule for one medicinal product. */
export interface VaccineEncoding {
  /** `ma`: marketing authorisation holder or manufacturer. */
  readonly ma: string
  /** Allowed `vp` codes. */
  readonly vp: readonly string[]
}

/** `mp` -> encoding rule. */
export const VACCINE_ENCODING: Readonly<Record<string, VaccineEncoding>> = Object.freeze({
  'EU/1/20/1528': { ma: 'ORG-100030215', vp: ['1119349007', '28531000087107'] },
  'EU/1/20/1507': { ma: 'ORG-100031184', vp: ['1119349007', '28531000087107'] },
  'EU/1/21/1529': { ma: 'ORG-100001699', vp: ['28531000087107', '29061000087103'] },
  'EU/1/20/1525': { ma: 'ORG-100001417', vp: ['28531000087107', '29061000087103'] },
  CVnCoV: { ma: 'ORG-100006270', vp: ['1119349007', '28531000087107'] },
  'NVX-CoV2373': { ma: 'ORG-100032020', vp: ['28531000087107', '1162643001'] },
  'Sputnik-V': { ma: 'Gamaleya-Research-Institute', vp: ['28531000087107', '29061000087103'] },
  Convidecia: { ma: 'ORG-100013793', vp: ['28531000087107', '29061000087103'] },
  EpiVacCorona: { ma: 'Vector-Institute', vp: ['28531000087107', '1162643001'] },
  'BBIBP-CorV': { ma: 'ORG-100020693', vp: ['28531000087107', '1157024006'] },
  'Inactivated-SARS-CoV-2-Vero-Cell': { ma: 'ORG-100010771', vp: ['28531000087107', '1157024006'] },
  CoronaVac: { ma: 'Sinovac-Biotech', vp: ['28531000087107', '1157024006'] },
  Covaxin: { ma: 'Bharat-Biotech', vp: ['28531000087107', '1157024006'] },
  Covishield: { ma: 'ORG-100001981', vp: ['28531000087107', '29061000087103'] },
  'Covid-19-recombinant': { ma: 'Fiocruz', vp: ['28531000087107', '29061000087103'] },
  'R-COVI': { ma: 'ORG-100007893', vp: ['28531000087107', '29061000087103'] },
  CoviVac: { ma: 'Chumakov-Federal-Scientific-Center', vp: ['28531000087107', '1157024006'] },
  'Sputnik-Light': { ma: 'Gamaleya-Research-Institute', vp: ['28531000087107', '29061000087103'] },
  'Hayat-Vax': { ma: 'ORG-100023050', vp: ['28531000087107', '1157024006'] },
  Abdala: { ma: 'CIGB', vp: ['28531000087107'] },
  'WIBP-CorV': { ma: 'Sinopharm-WIBP', vp: ['28531000087107', '1157024006'] },
  'MVC-COV1901': { ma: 'ORG-100033914', vp: ['28531000087107', '1162643001'] },
  'EU/1/21/1618': { ma: 'ORG-100032020', vp: ['28531000087107', '1162643001'] },
  Covovax: { ma: 'ORG-100001981', vp: ['28531000087107', '1162643001'] },
  Vidprevtyn: { ma: 'ORG-100000788', vp: ['28531000087107'] },
  VLA2001: { ma: 'ORG-100036422', vp: ['28531000087107'] },
  'Sputnik-M': { ma: 'Gamaleya-Research-Institute', vp: ['28531000087107', '29061000087103'] },
  'EpiVacCorona-N': { ma: 'Vector-Institute', vp: ['28531000087107', '1162643001'] },
  'Covid-19-adsorvida-inativada': {
    ma: 'Instituto-Butantan',
    vp: ['28531000087107', '1157024006'],
  },
  'NVSI-06-08': { ma: 'NVSI', vp: ['28531000087107'] },
  'YS-SC2-010': { ma: 'Yisheng-Biopharma', vp: ['28531000087107'] },
  SCTV01C: { ma: 'ORG-100026614', vp: ['28531000087107'] },
  Covifenz: { ma: 'ORG-100008549', vp: ['28531000087107'] },
  AZD2816: { ma: 'ORG-100001699', vp: ['28531000087107', '29061000087103'] },
  'Soberana-02': { ma: 'Finlay-Institute', vp: ['28531000087107'] },
  'Soberana-Plus': { ma: 'Finlay-Institute', vp: ['28531000087107'] },
  'EU/1/21/1624': { ma: 'ORG-100036422', vp: ['28531000087107'] },
  'EU/1/21/1580': { ma: 'ORG-100000788', vp: ['28531000087107'] },
  'EU/1/22/1709': { ma: 'ORG-100036914', vp: ['28531000087107'] },
})
