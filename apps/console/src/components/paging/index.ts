export { Pager, formatTotal } from './Pager';
export { DateRangeFilter } from './DateRangeFilter';
export { ExportCsvLink } from './ExportCsvLink';
export { usePagedFilters, PAGE_SIZES } from './usePagedFilters';
export { CatalogFilter } from './CatalogFilter';
