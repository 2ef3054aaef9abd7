export { StationPage } from './station/station-page';
