// Renderer entry: the same bundle runs in the Electron window and in a browser tab from `serve`.
import { createApp } from 'vue'
import App from './App.vue'
import './styles.css'

createApp(App).mount('#app')
