export { scaffolderServiceNameModule } from './serviceNameFieldModule';
