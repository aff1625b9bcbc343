/** What we know of a CVX code (CDC vaccine administered codes) for COVID-19. */
export interface CvxProduct {
  readonly name: string
  /** The EU DCC `mp` code of the same product, when there is one. */
  readonly euProduct?: string
}

/**
 * COVID-19 vaccine CVX codes that SMART Health Cards use, with the EU product they correspond
 * to, so rules written against EU product codes apply to SHC passes too.
 */
export const CVX_COVID_PRODUCTS: Readonly<Record<string, CvxProduct>> = {
  '207': { name: 'Moderna COVID-19 (Spikevax)', euProduct: 'EU/1/20/1507' },
  '208': { name: 'Pfizer-BioNTech COVID-19 (Comirnaty)', euProduct: 'EU/1/20/1528' },
  '210': { name: 'AstraZeneca COVID-19 (Vaxzevria)', euProduct: 'EU/1/21/1529' },
  '211': { name: 'Novavax COVID-19 (Nuvaxovid)', euProduct: 'EU/1/21/1618' },
  '212': { name: 'Janssen COVID-19 (Jcovden)', euProduct: 'EU/1/20/1525' },
  '213': { name: 'SARS-CoV-2 vaccine, unspecified formulation' },
  '217': { name: 'Pfizer-BioNTech COVID-19, 12 years and older', euProduct: 'EU/1/20/1528' },
  '218': { name: 'Pfizer-BioNTech COVID-19, 5-11 years', euProduct: 'EU/1/20/1528' },
  '219': { name: 'Pfizer-BioNTech COVID-19, 6 months-4 years', euProduct: 'EU/1/20/1528' },
  '221': { name: 'Moderna COVID-19, 18 years and older booster', euProduct: 'EU/1/20/1507' },
  '228': { name: 'Moderna COVID-19, 6 months-5 years', euProduct: 'EU/1/20/1507' },
  '229': { name: 'Moderna COVID-19 bivalent', euProduct: 'EU/1/20/1507' },
  '230': { name: 'Moderna COVID-19 bivalent, 6 months-5 years', euProduct: 'EU/1/20/1507' },
  '300': { name: 'Pfizer-BioNTech COVID-19 bivalent', euProduct: 'EU/1/20/1528' },
  '301': { name: 'Pfizer-BioNTech COVID-19 bivalent, 5-11 years', euProduct: 'EU/1/20/1528' },
  '502': { name: 'Bharat Biotech Covaxin', euProduct: 'Covaxin' },
  '505': { name: 'Gamaleya Sputnik V', euProduct: 'Sputnik-V' },
  '510': { name: 'Sinopharm BIBP (BBIBP-CorV)', euProduct: 'BBIBP-CorV' },
  '511': { name: 'Sinovac CoronaVac', euProduct: 'CoronaVac' },
}
