import { App } from 'cdktf';
import { addStacks } from './app';

const app = new App();
addStacks(app);
app.synth();
